package dev.conform.catalog;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A separate process for the lock test: opens a project's catalog, prints {@code open}, and holds
 * the catalog until its standard input closes.
 */
public final class CatalogHolder {
  private CatalogHolder() {}

  public static void main(String[] args) throws IOException {
    try (CatalogStore store = CatalogStore.openProject(Path.of(args[0]))) {
      System.out.println("open");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the catalog open until the test closes our input
      }
    }
  }
}
