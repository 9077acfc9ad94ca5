package dev.conform.runtime.spark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Surrogate keys on Spark: the first 15 hex digits of the MD5 of a text's UTF-8 bytes, as a number,
 * the value every dialect computes for {@code CONFORM_HASH64}. Spark's own functions take a detour
 * through text for it ({@code CAST(CONV(SUBSTR(MD5(t), 1, 15), 16, 10) AS BIGINT)}: hex, a
 * substring, a conversion of bases to decimal text and a parse), which cost a 2M-row first run
 * about half a second on 2 cores; this function reads the digest's bits.
 */
final class Hash64 implements UDF1<String, Long> {
  /** The name the Spark dialect renders the function with. */
  static final String NAME = "conform_hash64";

  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(Hash64::md5);

  /** Makes the function known to the session's SQL. */
  static void register(SparkSession spark) {
    spark.udf().register(NAME, new Hash64(), DataTypes.LongType);
  }

  @Override
  public Long call(String text) {
    if (text == null) {
      return null;
    }
    byte[] digest = MD5.get().digest(text.getBytes(StandardCharsets.UTF_8));
    long first64 = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      first64 = first64 << Byte.SIZE | (digest[i] & 0xff);
    }
    return first64 >>> 4;
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Bug: the JVM has no MD5", e);
    }
  }
}
