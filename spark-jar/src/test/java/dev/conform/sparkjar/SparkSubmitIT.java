package dev.conform.sparkjar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jar as a cluster runs it: Spark's {@code SparkSubmit} in a JVM of its own, with a Spark
 * installation's libraries (Guava 14, commons-lang3 3.12, ...) first on the class path and
 * Conform's jar as the application, exactly as {@code spark-submit --class dev.conform.cli.Main
 * conform-spark.jar ...} starts it.
 */
class SparkSubmitIT {
  private static final Path JAR = Path.of(System.getProperty("conform.spark.jar"));
  private static final Path SPARK_HOME = Path.of(System.getProperty("conform.spark.home"));
  private static final Path EXAMPLES = Path.of(System.getProperty("conform.examples"));

  @TempDir static Path folder;
  private static Path project;

  @BeforeAll
  static void copyTheExample() throws IOException {
    project = folder.resolve("customer-scd");
    Path from = EXAMPLES.resolve("customer-scd");
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.filter(p -> !p.startsWith(from.resolve("target"))).toList()) {
        Path to = project.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(to);
        } else {
          Files.copy(path, to);
        }
      }
    }
  }

  @Test
  void runsAProjectOnSparkWithTheClustersLibrariesFirst() throws Exception {
    // The project names no runtime: the jar's only runtime, Spark, is the default.
    Result run = submit("run", "--project", project.toString());
    assertThat(run.exit).as(run.output).isZero();
    assertThat(run.stdout)
        .containsPattern("dim_customer\\s+2,080\\s+0\\s+2,080\\s+2,080\\s+0\\s+0");
    assertThat(project.resolve("target/spark-warehouse/conform/dim_customer/metadata"))
        .isDirectory();

    Result show =
        submit(
            "show",
            "dim_customer",
            "--format",
            "csv",
            "--limit",
            "5000",
            "--project",
            project.toString());
    assertThat(show.exit).as(show.output).isZero();
    List<String> rows = show.stdout.lines().toList();
    assertThat(rows.get(0)).startsWith("customer_id,");
    assertThat(rows).hasSize(1 + 2_080);

    Result test = submit("test", "--project", project.toString());
    assertThat(test.exit).as(test.output).isZero();
    assertThat(test.stdout).contains("4 passed, 0 failed");

    Result again = submit("run", "--project", project.toString());
    assertThat(again.exit).as(again.output).isZero();
    assertThat(again.stdout).contains("up to date");
  }

  @Test
  void holdsNoClassTheClusterAlreadyHasAndRelocatesWhatDiffers() throws IOException {
    try (ZipFile jar = new ZipFile(JAR.toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertThat(names).contains("dev/conform/cli/Main.class");
      assertThat(names).anyMatch(n -> n.startsWith("dev/conform/shaded/com/google/common/"));
      // Iceberg keeps its Spark extensions in org.apache.spark packages; Spark itself is absent.
      assertThat(names)
          .doesNotContain(
              "org/apache/spark/sql/SparkSession.class",
              "org/apache/spark/SparkContext.class",
              "scala/Option.class",
              "org/duckdb/DuckDBDriver.class",
              "org/slf4j/Logger.class")
          .noneMatch(n -> n.startsWith("com/google/common/"));
      String services =
          new String(
              jar.getInputStream(jar.getEntry("META-INF/services/dev.conform.spi.RuntimeProvider"))
                  .readAllBytes(),
              StandardCharsets.UTF_8);
      assertThat(services.strip()).isEqualTo("dev.conform.runtime.spark.SparkRuntimeProvider");
    }
  }

  private record Result(int exit, String stdout, String output) {}

  /** {@code spark-submit --master local[2] --class dev.conform.cli.Main conform-spark.jar args}. */
  private static Result submit(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx2g");
    command.addAll(Arrays.asList(System.getProperty("conform.spark.jvm.options").split("\\s+")));
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    command.add("-cp");
    command.add(SPARK_HOME.resolve("first") + "/*:" + SPARK_HOME.resolve("jars") + "/*");
    command.addAll(
        List.of(
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.sql.shuffle.partitions=2",
            "--class",
            "dev.conform.cli.Main",
            JAR.toString()));
    command.addAll(Arrays.asList(args));
    Path out = Files.createTempFile(folder, "stdout", ".txt");
    Path err = Files.createTempFile(folder, "stderr", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("spark-submit " + String.join(" ", args) + " did not finish");
    }
    String stdout = Files.readString(out);
    return new Result(process.exitValue(), stdout, stdout + Files.readString(err));
  }
}
