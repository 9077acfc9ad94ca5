package dev.conform.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Loads each project under {@code src/test/resources/golden/<case>/} and compares its diagnostics
 * with {@code errors.txt}. Regenerate with {@code mvn -pl dsl test -Dconform.golden.update=true}
 * and review the diff.
 */
class GoldenDiagnosticsTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("conform.golden.update");

  @TestFactory
  Stream<DynamicTest> reportsTheGoldenDiagnostics() throws IOException {
    List<Path> cases;
    try (Stream<Path> list = Files.list(GOLDEN)) {
      cases = list.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(cases).isNotEmpty();
    return cases.stream()
        .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
  }

  private static void check(Path dir) throws IOException {
    LoadedProject loaded = ProjectLoader.load(dir);
    String actual =
        loaded.diagnostics().stream().map(Diagnostic::format).collect(Collectors.joining("\n"))
            + "\n";
    Path expectedFile = dir.resolve("errors.txt");
    if (UPDATE) {
      Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
    }
    assertThat(loaded.hasErrors()).as("a golden case shows at least one error").isTrue();
    assertThat(loaded.project()).isEmpty();
    assertThat(actual).isEqualTo(Files.readString(expectedFile, StandardCharsets.UTF_8));
  }
}
