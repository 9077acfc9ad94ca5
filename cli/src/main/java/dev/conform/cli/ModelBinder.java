package dev.conform.cli;

import dev.conform.cdc.ExtractFailure;
import dev.conform.dsl.ColumnSpec;
import dev.conform.dsl.DimensionSpec;
import dev.conform.dsl.SourceSpec;
import dev.conform.dsl.SpecException;
import dev.conform.planner.Binder;
import dev.conform.planner.BoundDimension;
import dev.conform.spi.Column;
import dev.conform.spi.ConformRuntime;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Binds a project's dimensions: source columns come from the spec when declared, otherwise from the
 * engine's reading of the source's files, or from the source table's metadata.
 */
final class ModelBinder {
  private final Printer printer;

  ModelBinder(Printer printer) {
    this.printer = printer;
  }

  /**
   * Binds {@code dimension}. {@code data} supplies the source's data when its columns must be read
   * from it, and {@code runtime} reads them.
   *
   * @throws UserException when the dimension does not bind (diagnostics printed)
   */
  BoundDimension bind(
      DimensionSpec dimension,
      SourceSpec source,
      Supplier<SourceData> data,
      Supplier<ConformRuntime> runtime) {
    return bind(dimension, source, () -> runtime.get().describe(data.get()));
  }

  /**
   * Binds {@code dimension}; {@code described} gives the source's columns when the spec declares
   * none (read from its files or its table).
   *
   * @throws UserException when the columns cannot be read, or the dimension does not bind
   */
  BoundDimension bind(
      DimensionSpec dimension, SourceSpec source, Supplier<List<Column>> described) {
    List<Column> columns = new ArrayList<>();
    for (ColumnSpec column : source.columns()) {
      columns.add(Column.of(column.name(), column.type()));
    }
    if (columns.isEmpty()) {
      try {
        columns.addAll(described.get());
      } catch (RuntimeFailure e) {
        throw new UserException(
            ExitCode.RUN_FAILED,
            "Cannot read the columns of source '"
                + source.name().name()
                + "': "
                + e.getMessage()
                + "; declare them under columns: in the spec, or fix the files");
      } catch (ExtractFailure e) {
        throw new UserException(ExitCode.RUN_FAILED, e.getMessage());
      }
    }
    columns.addAll(source.changeColumns());
    try {
      return new Binder().bind(dimension, source, columns);
    } catch (SpecException e) {
      printer.diagnostics(e.diagnostics());
      throw new UserException(
          ExitCode.SPEC_ERRORS,
          "Cannot bind dimension '" + dimension.name().name() + "': see the problems above");
    }
  }
}
