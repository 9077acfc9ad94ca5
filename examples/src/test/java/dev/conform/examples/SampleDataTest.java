package dev.conform.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conform.examples.GeneratorOptions.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed sample data is what the README's generator command writes, and stays small. */
class SampleDataTest {
  private static final Path SAMPLE = Path.of("customer-scd/data/customers");

  @TempDir Path temp;

  @Test
  void customerSampleIsTheReadmesGeneratorOutput() throws Exception {
    List<Path> committed =
        List.of(
            SAMPLE.resolve("initial.parquet"),
            SAMPLE.resolve("batch-0001.parquet"),
            SAMPLE.resolve("batch-0002.parquet"));
    // README: --records 2000 --batches 2 --batch-records 40 --seed 42
    List<Path> generated =
        new CustomerDataGenerator(new GeneratorOptions(2000, temp, 2, 40, Format.PARQUET, 42))
            .generate().stream().map(GeneratedFile::path).toList();

    for (int i = 0; i < committed.size(); i++) {
      assertThat(CustomerFiles.summary(List.of(committed.get(i))))
          .as(committed.get(i).toString())
          .isEqualTo(CustomerFiles.summary(List.of(generated.get(i))));
    }
  }

  @Test
  void committedDataStaysSmall() throws Exception {
    long bytes = 0;
    for (String project : List.of("customer-scd/data", "xtec/data")) {
      try (Stream<Path> files = Files.walk(Path.of(project))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          bytes += Files.size(file);
        }
      }
    }
    assertThat(bytes).isLessThan(200 * 1024);
  }
}
