package dev.conform.runtime.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.iceberg.util.Tasks;
import org.apache.iceberg.util.ThreadPools;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Deletes rows of an Iceberg table by where they sit: the data file and the position in it that the
 * table's metadata columns {@code _file} and {@code _pos} gave when the rows were read.
 *
 * <p>Spark's {@code DELETE} finds the rows again by scanning every file of the table: for a batch
 * whose keys are spread over the whole table, a second pass over all of it (at 200M rows on two
 * cores, the delete took 17.1 s; by positions, 2.0 s). The positions are known from the read of the
 * keys' history, so this writes the position delete files directly, one per data file, as Spark's
 * merge-on-read deletes do: where a data file already has a delete file of its own, the new file
 * holds its positions too and replaces it, so readers never apply more than one per file.
 *
 * <p>The commit fails rather than deletes the wrong rows when another writer changed the table
 * since the rows were read: when a data file is gone (rewritten by compaction) or another delete
 * was committed to it.
 */
final class PositionDeletes {
  private PositionDeletes() {}

  /**
   * Deletes the rows of {@code table} (called {@code name} in messages) at the positions {@code
   * rowIds} gives: its first column the data file, its second the position. Commits nothing when
   * there are none.
   *
   * @throws IllegalStateException when the table's format takes no position delete files, or a data
   *     file of {@code rowIds} is no longer in the table
   */
  static void delete(String name, Table table, Dataset<Row> rowIds) {
    int format = TableUtil.formatVersion(table);
    if (format != 2) {
      // Version 1 has no row-level deletes, version 3 deletion vectors instead of files.
      throw new IllegalStateException(
          "Cannot delete rows of table '"
              + name
              + "': it is an Iceberg table of format version "
              + format
              + ", and Conform deletes rows by position in version 2, which it creates its tables"
              + " with; recreate the table with --full-refresh");
    }
    Map<String, List<Long>> positions = positionsByFile(rowIds);
    if (positions.isEmpty()) {
      return;
    }
    List<Rewrite> rewrites = rewrites(name, table, positions);
    // Every data file is in the table's current snapshot, so it has one.
    long snapshot = table.currentSnapshot().snapshotId();
    RowDelta delta =
        table
            .newRowDelta()
            .validateFromSnapshot(snapshot)
            .validateDataFilesExist(positions.keySet())
            .validateNoConflictingDeleteFiles();
    OutputFileFactory outputs =
        OutputFileFactory.builderFor(table, 0, 0)
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .suffix("deletes")
            .build();
    BaseDeleteLoader loader = new BaseDeleteLoader(d -> table.io().newInputFile(d.location()));
    DeleteFile[] written = new DeleteFile[rewrites.size()];
    try {
      // One file per data file, written side by side: a batch of random keys touches every file.
      Tasks.range(rewrites.size())
          .stopOnFailure()
          .throwFailureWhenFinished()
          .executeWith(ThreadPools.getWorkerPool())
          .run(i -> written[i] = rewrites.get(i).write(table, outputs, loader));
      for (int i = 0; i < written.length; i++) {
        rewrites.get(i).replaced().forEach(delta::removeDeletes);
        delta.addDeletes(written[i]);
      }
      delta.commit();
    } catch (CommitStateUnknownException e) {
      // The commit may have landed, with the files.
      throw e;
    } catch (RuntimeException e) {
      // The files of a delete that did not commit belong to no table.
      for (DeleteFile file : written) {
        if (file != null) {
          table.io().deleteFile(file.location());
        }
      }
      throw e;
    }
  }

  /** The positions of {@code rowIds}, by data file. */
  private static Map<String, List<Long>> positionsByFile(Dataset<Row> rowIds) {
    String[] columns = rowIds.columns();
    Map<String, List<Long>> positions = new HashMap<>();
    for (Row row :
        rowIds.groupBy(col(columns[0])).agg(collect_list(col(columns[1]))).collectAsList()) {
      positions.put(row.getString(0), row.getList(1));
    }
    return positions;
  }

  /**
   * For each data file of {@code positions}, in the table's current snapshot: its new positions and
   * the delete files of its own that the new one replaces.
   */
  private static List<Rewrite> rewrites(
      String name, Table table, Map<String, List<Long>> positions) {
    List<Rewrite> rewrites = new ArrayList<>();
    Set<String> gone = new HashSet<>(positions.keySet());
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        List<Long> deleted = positions.get(task.file().location());
        if (deleted != null) {
          rewrites.add(new Rewrite(task.file(), deleted, ownDeletes(task)));
          gone.remove(task.file().location());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!gone.isEmpty()) {
      throw new IllegalStateException(
          "Cannot delete rows of table '"
              + name
              + "': its file "
              + gone.iterator().next()
              + " is gone since they were read, as another writer changed the table during the"
              + " run; run again");
    }
    return rewrites;
  }

  /** The position delete files that apply to the task's data file alone. */
  private static List<DeleteFile> ownDeletes(FileScanTask task) {
    List<DeleteFile> own = new ArrayList<>();
    for (DeleteFile delete : task.deletes()) {
      if (delete.content() == FileContent.POSITION_DELETES
          && task.file().location().equals(ContentFileUtil.referencedDataFileLocation(delete))) {
        own.add(delete);
      }
    }
    return own;
  }

  /**
   * A data file's new delete file: its {@code deleted} positions and those of the delete files of
   * its own it {@code replaced}.
   */
  private record Rewrite(DataFile data, List<Long> deleted, List<DeleteFile> replaced) {
    DeleteFile write(Table table, OutputFileFactory outputs, BaseDeleteLoader loader) {
      LongStream.Builder all = LongStream.builder();
      deleted.forEach(all::add);
      if (!replaced.isEmpty()) {
        loader.loadPositionDeletes(replaced, data.location()).forEach(all::add);
      }
      return PositionDeletes.write(table, outputs, data, all.build().sorted().distinct().toArray());
    }
  }

  private static DeleteFile write(
      Table table, OutputFileFactory outputs, DataFile data, long[] positions) {
    try {
      PartitionSpec spec = table.specs().get(data.specId());
      // The table's write properties, not its schema: the files hold positions without rows.
      PositionDeleteWriter<Object> writer =
          Parquet.writeDeletes(outputs.newOutputFile(spec, data.partition()))
              .setAll(table.properties())
              // Whole paths in the file's bounds: they say which data file it belongs to.
              .metricsConfig(MetricsConfig.forPositionDelete(table))
              .withSpec(spec)
              .withPartition(data.partition())
              .overwrite()
              .buildPositionWriter();
      PositionDelete<Object> delete = PositionDelete.create();
      try (writer) {
        for (long position : positions) {
          writer.write(delete.set(data.location(), position));
        }
      }
      return writer.toDeleteFile();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
