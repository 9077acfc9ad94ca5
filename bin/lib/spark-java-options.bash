# What Spark needs of a Java 17 JVM (docs: the README's Spark section), as the array spark_opts.
# Sourced by bin/conform and by the benchmarks that start Spark themselves.
spark_opts=(-Djdk.reflect.useDirectMethodHandle=false
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
  java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
  sun.security.action sun.util.calendar; do
  spark_opts+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
