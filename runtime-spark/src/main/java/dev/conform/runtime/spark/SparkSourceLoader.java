package dev.conform.runtime.spark;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conform.runtime.spark.SparkTypes.Conversion;
import dev.conform.runtime.spark.SparkTypes.StrptimeFormat;
import dev.conform.spi.Column;
import dev.conform.spi.DataType;
import dev.conform.spi.FileOptions;
import dev.conform.spi.LoadCounts;
import dev.conform.spi.RuntimeFailure;
import dev.conform.spi.SourceData;
import dev.conform.spi.Step.LoadSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one source into its staging and reject views on Spark, with the results of the DuckDB
 * loader of runtime-jdbc: the same staged values, rejected rows, reasons, records, origins and
 * counts. Spark reads the files itself and converts every column with expressions that give NULL
 * where a value does not convert, so no row passes through the driver.
 *
 * <p>Both views are computed again whenever they are read; they depend only on the files. When no
 * declared column can fail to convert (typically Parquet whose types match the declared ones), the
 * staging view reads the files with no conversion, the reject view is empty, and counting reads
 * only Parquet's footers. Not thread-safe: a runtime loads one source at a time.
 */
final class SparkSourceLoader {
  private static final Logger LOG = LoggerFactory.getLogger(SparkSourceLoader.class);

  /** The column of a source's rows that says where each row came from. */
  private static final String SOURCE_ORIGIN = "_conform_source_origin";

  private static final String ROW_COLUMN = "_conform_row";

  /** Rows DuckDB's sniffers read to detect a source's types; describe reads as many. */
  private static final int SAMPLE_ROWS = 20480;

  private static final StructType REJECT_SCHEMA =
      new StructType()
          .add(LoadSource.ORIGIN_COLUMN, DataTypes.StringType)
          .add(LoadSource.REASON_COLUMN, DataTypes.StringType)
          .add(LoadSource.RECORD_COLUMN, DataTypes.StringType);

  private final SparkSession spark;

  SparkSourceLoader(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /**
   * A column a source offers: its name in the source, the column of the rows that holds it, and the
   * type Spark reads it as.
   */
  private record SourceColumn(
      String name, String rowsColumn, org.apache.spark.sql.types.DataType type) {}

  /**
   * A source's rows as Spark reads them, each with {@link #SOURCE_ORIGIN}; {@code counted} is the
   * same rows without the origin (NULL there), which Spark counts with less reading.
   */
  private record Rows(Dataset<Row> rows, Dataset<Row> counted) {
    Rows map(Function<Dataset<Row>, Dataset<Row>> change) {
      return new Rows(change.apply(rows), change.apply(counted));
    }

    Rows union(Rows more) {
      return new Rows(
          rows.unionByName(more.rows(), true), counted.unionByName(more.counted(), true));
    }
  }

  /**
   * What a load converts from: the source's rows, the source column of each declared column, and
   * the formats of dates and timestamps written as text.
   */
  private record SourceFrame(
      Rows rows,
      List<SourceColumn> columns,
      Optional<StrptimeFormat> dateFormat,
      Optional<StrptimeFormat> timestampFormat) {}

  /**
   * Registers {@code step.stagingTable()} and {@code step.rejectTable()} as temporary views with
   * exactly the columns {@link LoadSource} documents, and returns the counts. Rows the views read
   * from a checkpoint go to {@code stored}, for the caller to free when it drops the views.
   *
   * @throws RuntimeFailure when a file is missing, a declared column is not in the source, an
   *     option is invalid, or Spark cannot read the files
   */
  LoadCounts load(LoadSource step, Consumer<Dataset<Row>> stored) {
    requireNonNull(step, "step is null");
    String failurePrefix = "Cannot read source '" + step.source() + "'";
    try {
      SourceFrame frame =
          step.data() instanceof SourceData.Files files
              ? fileFrame(step, FileScan.of(spark, files, failurePrefix))
              : inlineFrame(step, (SourceData.InlineRows) step.data(), failurePrefix);
      LoadCounts counts = new Conversions(step, frame).register(spark, stored);
      LOG.debug(
          "Loaded {}: {} rows read, {} rejected",
          step.source(),
          counts.rowsRead(),
          counts.rowsRejected());
      return counts;
    } catch (RuntimeFailure e) {
      throw e;
    } catch (Exception e) {
      // Spark's job failures are checked exceptions thrown without being declared.
      throw new RuntimeFailure(failurePrefix + ": " + SparkSessions.message(e), e);
    }
  }

  /**
   * The columns and Conform types Spark sees in a source, for sources with no declared columns:
   * Parquet's own types; for CSV and JSON, the types DuckDB's sniffers detect in the first {@value
   * #SAMPLE_ROWS} rows.
   */
  List<Column> describe(SourceData data) {
    requireNonNull(data, "data is null");
    if (data instanceof SourceData.InlineRows rows) {
      return rows.columns().stream().map(name -> Column.of(name, DataType.STRING)).toList();
    }
    FileScan scan = FileScan.of(spark, (SourceData.Files) data, "Cannot describe files");
    try {
      return switch (scan.format()) {
        case PARQUET -> {
          List<Column> columns = new ArrayList<>();
          for (StructField field : scan.parquetSchema().fields()) {
            columns.add(Column.of(field.name(), SparkTypes.typeOf(field.dataType())));
          }
          yield List.copyOf(columns);
        }
        case CSV -> describeCsv(scan);
        case JSON -> scan.jsonSample().columns();
      };
    } catch (RuntimeFailure e) {
      throw e;
    } catch (Exception e) {
      throw scan.failure(SparkSessions.message(e), e);
    }
  }

  private SourceFrame fileFrame(LoadSource step, FileScan scan) {
    List<String> declared = step.columns().stream().map(Column::name).toList();
    return switch (scan.format()) {
      case CSV -> {
        List<String> names = scan.csvNames(scan.paths().get(0), declared);
        List<SourceColumn> matched =
            match(
                step, scan, textColumns(names), path -> textColumns(scan.csvNames(path, declared)));
        yield frame(scan, scan.csv(names), matched);
      }
      case PARQUET -> {
        List<SourceColumn> matched =
            match(
                step,
                scan,
                typedColumns(scan.parquetSchema()),
                path -> typedColumns(scan.onlyFile(path).parquetSchema()));
        yield frame(scan, scan.parquet(), matched);
      }
      case JSON -> {
        FileScan.JsonSample sample = scan.jsonSample();
        List<SourceColumn> matched =
            match(
                step,
                scan,
                textColumns(sample.keys()),
                path -> textColumns(scan.onlyFile(path).jsonSample().keys()));
        List<String> keys = matched.stream().map(SourceColumn::name).distinct().toList();
        yield frame(scan, scan.json(sample, keys), matched);
      }
    };
  }

  private static SourceFrame frame(FileScan scan, Rows rows, List<SourceColumn> matched) {
    return new SourceFrame(rows, matched, scan.dateFormat, scan.timestampFormat);
  }

  private static List<SourceColumn> textColumns(List<String> names) {
    return names.stream().map(name -> new SourceColumn(name, name, DataTypes.StringType)).toList();
  }

  private static List<SourceColumn> typedColumns(StructType schema) {
    return Arrays.stream(schema.fields())
        .map(field -> new SourceColumn(field.name(), field.name(), field.dataType()))
        .toList();
  }

  /**
   * Finds each declared column among the source's, by name, ignoring case. When one is missing, the
   * message names the first file that lacks it. A source of several CSV or Parquet files is also
   * checked file by file: Spark reads the first file's header or schema for all of them.
   */
  private static List<SourceColumn> match(
      LoadSource step,
      FileScan scan,
      List<SourceColumn> offered,
      Function<String, List<SourceColumn>> fileColumns) {
    List<SourceColumn> matched = new ArrayList<>();
    for (Column column : step.columns()) {
      Optional<SourceColumn> found = find(offered, column.name());
      if (found.isEmpty()) {
        String file = scan.paths().get(0);
        if (scan.paths().size() > 1) {
          file =
              scan.paths().stream()
                  .filter(path -> find(fileColumns.apply(path), column.name()).isEmpty())
                  .findFirst()
                  .orElse(file);
        }
        throw missing(scan, column, file);
      }
      matched.add(found.get());
    }
    if (scan.paths().size() > 1 && scan.format() != SourceData.Format.JSON) {
      for (String path : scan.paths().subList(1, scan.paths().size())) {
        List<SourceColumn> columns = fileColumns.apply(path);
        for (Column column : step.columns()) {
          if (find(columns, column.name()).isEmpty()) {
            throw missing(scan, column, path);
          }
        }
      }
    }
    return matched;
  }

  private static RuntimeFailure missing(FileScan scan, Column column, String file) {
    return scan.failure("column '" + column.name() + "' is missing in file " + file, null);
  }

  private static Optional<SourceColumn> find(List<SourceColumn> offered, String name) {
    return offered.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }

  private SourceFrame inlineFrame(
      LoadSource step, SourceData.InlineRows rows, String failurePrefix) {
    List<SourceColumn> offered = new ArrayList<>();
    StructType schema = new StructType();
    for (int i = 0; i < rows.columns().size(); i++) {
      String rowsColumn = "_conform_c" + i;
      offered.add(new SourceColumn(rows.columns().get(i), rowsColumn, DataTypes.StringType));
      schema = schema.add(rowsColumn, DataTypes.StringType);
    }
    schema = schema.add(ROW_COLUMN, DataTypes.LongType, false);
    List<SourceColumn> matched = new ArrayList<>();
    for (Column column : step.columns()) {
      matched.add(
          find(offered, column.name())
              .orElseThrow(
                  () ->
                      new RuntimeFailure(
                          failurePrefix
                              + ": column '"
                              + column.name()
                              + "' is missing in the inline rows",
                          null)));
    }
    List<Row> data = new ArrayList<>(rows.rows().size());
    long number = 0;
    for (List<String> row : rows.rows()) {
      Object[] values = row.toArray(new Object[row.size() + 1]);
      values[row.size()] = ++number;
      data.add(RowFactory.create(values));
    }
    Dataset<Row> inline =
        spark
            .createDataFrame(data, schema)
            .withColumn(SOURCE_ORIGIN, concat(lit("row "), col(ROW_COLUMN).cast("string")));
    return new SourceFrame(new Rows(inline, inline), matched, Optional.empty(), Optional.empty());
  }

  /**
   * The conversion of a source's rows to the declared columns, as the DuckDB loader does it: a
   * projection of raw values, one of converted values beside them (so that the checks read them
   * instead of converting again), and the reason and record of the rows that did not convert.
   */
  private static final class Conversions {
    private static final String ORIGIN = "_conform_o";
    private static final String REASON = "_conform_reason";
    private static final String RECORD = "_conform_record";

    private final LoadSource step;
    private final SourceFrame frame;
    private final List<org.apache.spark.sql.Column> raw = new ArrayList<>();
    private final List<org.apache.spark.sql.Column> converted = new ArrayList<>();
    private final List<org.apache.spark.sql.Column> staged = new ArrayList<>();
    private final List<org.apache.spark.sql.Column> failing = new ArrayList<>();
    private final List<org.apache.spark.sql.Column> record = new ArrayList<>();
    private org.apache.spark.sql.Column reason;

    Conversions(LoadSource step, SourceFrame frame) {
      this.step = step;
      this.frame = frame;
      List<Column> columns = step.columns();
      for (int i = 0; i < columns.size(); i++) {
        Column column = columns.get(i);
        SourceColumn source = frame.columns().get(i);
        org.apache.spark.sql.Column value = col(rawName(i));
        raw.add(col(SparkSessions.quote(source.rowsColumn())).as(rawName(i)));
        Conversion conversion =
            source.type() instanceof StringType
                ? SparkTypes.fromText(
                    value, column.type(), frame.dateFormat(), frame.timestampFormat())
                : SparkTypes.fromTyped(value, source.type(), column.type());
        converted.add(conversion.value().as(valueName(i)));
        converted.add(value);
        staged.add(col(valueName(i)).as(column.name()));
        org.apache.spark.sql.Column text = SparkTypes.engineText(value, source.type());
        if (conversion.mustConvert().isPresent()) {
          org.apache.spark.sql.Column failed =
              conversion.mustConvert().get().and(col(valueName(i)).isNull());
          org.apache.spark.sql.Column why =
              concat(
                  lit("column '" + column.name() + "': cannot convert '"),
                  text,
                  lit("' to " + column.type()));
          failing.add(failed);
          reason = reason == null ? when(failed, why) : reason.when(failed, why);
        }
        record.add(concat(lit(column.name() + "="), coalesce(text, lit(""))));
      }
      raw.add(col(SOURCE_ORIGIN).as(ORIGIN));
      converted.add(col(ORIGIN));
      staged.add(col(ORIGIN).as(LoadSource.ORIGIN_COLUMN));
    }

    /**
     * Registers the staging and reject views, and counts. Files with text to parse or conversions
     * to check are converted once and kept as a local checkpoint, which the views read; Parquet
     * whose values need no conversion that can fail, and inline rows (already in memory), are read
     * again by each reader of the views, and not counted when the step's staged tally counts them.
     */
    LoadCounts register(SparkSession spark, Consumer<Dataset<Row>> stored) {
      boolean files = step.data() instanceof SourceData.Files;
      boolean parquet =
          files && ((SourceData.Files) step.data()).format() == SourceData.Format.PARQUET;
      if (failing.isEmpty() && (parquet || !files)) {
        view(values(frame.rows().rows()).select(array(staged)), step.stagingTable());
        view(spark.createDataFrame(List.of(), REJECT_SCHEMA), step.rejectTable());
        // A later statement may count the rows as it reads them: a pass of its own saved.
        long read = step.stagedTally().isPresent() ? 0 : frame.rows().counted().count();
        return new LoadCounts(read, 0);
      }
      Dataset<Row> checked = checked(frame.rows().rows());
      if (files) {
        checked = checked.localCheckpoint(true);
        stored.accept(checked);
      }
      view(checked.filter(col(REASON).isNull()).select(array(staged)), step.stagingTable());
      view(
          checked
              .filter(col(REASON).isNotNull())
              .select(
                  col(ORIGIN).as(LoadSource.ORIGIN_COLUMN),
                  col(REASON).as(LoadSource.REASON_COLUMN),
                  col(RECORD).as(LoadSource.RECORD_COLUMN)),
          step.rejectTable());
      Row counts = checked.agg(count(lit(1)), count(col(REASON))).first();
      return new LoadCounts(counts.getLong(0), counts.getLong(1));
    }

    private Dataset<Row> values(Dataset<Row> rows) {
      return rows.select(array(raw)).select(array(converted));
    }

    private Dataset<Row> checked(Dataset<Row> rows) {
      if (failing.isEmpty()) {
        org.apache.spark.sql.Column none = lit(null).cast(DataTypes.StringType);
        return values(rows).select(col("*"), none.as(REASON), none.as(RECORD));
      }
      org.apache.spark.sql.Column anyFailed =
          failing.stream().reduce(org.apache.spark.sql.Column::or).orElseThrow();
      return values(rows)
          .select(
              col("*"),
              reason.as(REASON),
              when(anyFailed, concat_ws(", ", array(record))).as(RECORD));
    }

    private static org.apache.spark.sql.Column[] array(List<org.apache.spark.sql.Column> columns) {
      return columns.toArray(org.apache.spark.sql.Column[]::new);
    }

    private static String rawName(int i) {
      return "_conform_r" + i;
    }

    private static String valueName(int i) {
      return "_conform_v" + i;
    }

    private static void view(Dataset<Row> rows, String name) {
      rows.createOrReplaceTempView(SparkSessions.quote(name));
    }
  }

  /** Names as DuckDB makes them unique: a repeated one, ignoring case, numbered {@code a_1}. */
  private static List<String> uniqueNames(List<String> names) {
    List<String> unique = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (String name : names) {
      String candidate = name;
      for (int n = 1; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
        candidate = name + "_" + n;
      }
      unique.add(candidate);
    }
    return unique;
  }

  /**
   * The types DuckDB's CSV sniffer gives each column, from the first {@value #SAMPLE_ROWS} rows:
   * boolean (true, false, t, f, yes, no), bigint (no sign but minus, no leading zero), double,
   * date, timestamp (a date and a time in every row), else string.
   */
  private List<Column> describeCsv(FileScan scan) {
    List<String> names = scan.csvNames(scan.paths().get(0), List.of());
    if (names.isEmpty()) {
      return List.of();
    }
    Dataset<Row> sample = scan.csv(names).counted().limit(SAMPLE_ROWS);
    List<DataType> candidates =
        List.of(
            DataType.BOOLEAN, DataType.BIGINT, DataType.DOUBLE, DataType.DATE, DataType.TIMESTAMP);
    List<org.apache.spark.sql.Column> checks = new ArrayList<>();
    for (String name : names) {
      org.apache.spark.sql.Column text = col(SparkSessions.quote(name));
      org.apache.spark.sql.Column present = text.isNotNull().and(text.notEqual(""));
      org.apache.spark.sql.Column time = text.rlike("[0-9][ T][0-9]{1,2}:[0-9]{1,2}");
      checks.add(count(when(present, lit(1))));
      checks.add(violations(present, lower(text).isin("true", "false", "t", "f", "yes", "no")));
      checks.add(violations(present, text.rlike("^\\s*-?(0|[1-9][0-9]*)\\s*$")));
      checks.add(
          violations(
              present,
              text.rlike("^\\s*-?((0|[1-9][0-9]*)([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?\\s*$")));
      checks.add(
          violations(
              present,
              defaultConversion(text, DataType.DATE).isNotNull().and(time.equalTo(false))));
      checks.add(
          violations(present, defaultConversion(text, DataType.TIMESTAMP).isNotNull().and(time)));
    }
    Row found =
        sample
            .agg(
                checks.get(0),
                checks.subList(1, checks.size()).toArray(org.apache.spark.sql.Column[]::new))
            .first();
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      int base = i * (candidates.size() + 1);
      DataType type = DataType.STRING;
      for (int c = 0; found.getLong(base) > 0 && c < candidates.size(); c++) {
        if (found.getInt(base + 1 + c) == 0) {
          type = candidates.get(c);
          break;
        }
      }
      columns.add(Column.of(names.get(i), type));
    }
    return List.copyOf(columns);
  }

  private static org.apache.spark.sql.Column defaultConversion(
      org.apache.spark.sql.Column text, DataType type) {
    return SparkTypes.fromText(text, type, Optional.empty(), Optional.empty()).value();
  }

  /** 1 when some present value fails the check, else 0. */
  private static org.apache.spark.sql.Column violations(
      org.apache.spark.sql.Column present, org.apache.spark.sql.Column check) {
    return max(when(present.and(coalesce(check, lit(false)).equalTo(false)), 1).otherwise(0));
  }

  /**
   * A source's files with the format options checked and translated for Spark's readers, as
   * runtime-jdbc's DuckDbFileScan checks them: the same option names, aliases and messages.
   */
  private static final class FileScan {
    /**
     * Up to this many files are read one by one, each with its path as a constant origin. Spark
     * then reads no file metadata, which would otherwise cost every later read of the staging view,
     * even one that does not read the origin (counting Parquet rows then reads every row group
     * instead of the footers). More files are read together, the origin from Spark's metadata.
     */
    private static final int FILES_READ_ONE_BY_ONE = 64;

    private final SparkSession spark;
    private final SourceData.Files files;
    private final FileOptions options;
    private final Map<String, List<String>> firstRecords = new LinkedHashMap<>();
    private final Optional<StrptimeFormat> dateFormat;
    private final Optional<StrptimeFormat> timestampFormat;

    private FileScan(SparkSession spark, SourceData.Files files, FileOptions options) {
      this.spark = spark;
      this.files = files;
      this.options = options;
      this.dateFormat = strptime("date_format");
      this.timestampFormat = strptime("timestamp_format");
    }

    /**
     * Checks the files exist and the options are known and valid.
     *
     * @param failurePrefix the start of every failure message, e.g. {@code Cannot read source 'x'}
     */
    static FileScan of(SparkSession spark, SourceData.Files files, String failurePrefix) {
      return new FileScan(spark, files, FileOptions.check(files, failurePrefix));
    }

    SourceData.Format format() {
      return files.format();
    }

    List<String> paths() {
      return files.paths();
    }

    /** One of the files, as a scan of its own: to name the file a problem is in. */
    FileScan onlyFile(String path) {
      return new FileScan(
          spark, new SourceData.Files(files.format(), List.of(path), files.options()), options);
    }

    private Optional<String> option(String key) {
      return options.get(key);
    }

    RuntimeFailure failure(String detail, Throwable cause) {
      return options.failure(detail, cause);
    }

    /** A date or timestamp format option, read as DuckDB's strptime reads it. */
    private Optional<StrptimeFormat> strptime(String key) {
      return option(key)
          .map(
              format -> {
                try {
                  return StrptimeFormat.of(format);
                } catch (IllegalArgumentException e) {
                  throw options.invalid(key, format, e.getMessage(), e);
                }
              });
    }

    // ---- files and origins

    /** A file to read: the path Spark reads, and the origin its rows show, as DuckDB shows it. */
    private record FileRef(String readPath, String origin) {}

    /**
     * The files the paths name, in order: local files as given; globs and folders expanded (the
     * files of a folder, without hidden ones such as {@code _SUCCESS}), local ones shown as plain
     * paths.
     */
    private List<FileRef> expand() {
      List<FileRef> found = new ArrayList<>();
      for (String path : files.paths()) {
        if (FileOptions.isLocalFile(path) && Files.isRegularFile(Path.of(path))) {
          found.add(new FileRef(path, path));
          continue;
        }
        try {
          org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(path);
          FileSystem fs = pattern.getFileSystem(spark.sparkContext().hadoopConfiguration());
          FileStatus[] matches = fs.globStatus(pattern);
          if (matches == null || matches.length == 0) {
            throw failure("file not found: " + path, null);
          }
          for (FileStatus match : matches) {
            FileStatus[] inside = match.isDirectory() ? fs.listStatus(match.getPath()) : null;
            List<FileStatus> statuses =
                inside == null ? List.of(match) : sortedVisibleFiles(inside);
            for (FileStatus status : statuses) {
              org.apache.hadoop.fs.Path file = status.getPath();
              String shown =
                  "file".equals(file.toUri().getScheme())
                      ? file.toUri().getPath()
                      : file.toString();
              found.add(new FileRef(file.toString(), shown));
            }
          }
        } catch (IOException e) {
          throw failure("cannot list " + path + " (" + e.getMessage() + ")", e);
        }
      }
      return found;
    }

    private static List<FileStatus> sortedVisibleFiles(FileStatus[] statuses) {
      return Arrays.stream(statuses)
          .filter(FileStatus::isFile)
          .filter(
              s -> !s.getPath().getName().startsWith("_") && !s.getPath().getName().startsWith("."))
          .sorted(Comparator.comparing(s -> s.getPath().toString()))
          .toList();
    }

    /**
     * The rows {@code reader} reads from the files, each with its origin: file by file with the
     * origin as a constant when there are few, else all at once with the origin from Spark's
     * metadata (a URL: local files are shown as plain paths).
     */
    private Rows read(List<FileRef> refs, Function<String[], Dataset<Row>> reader) {
      String[] all = refs.stream().map(FileRef::readPath).toArray(String[]::new);
      Dataset<Row> counted =
          reader.apply(all).withColumn(SOURCE_ORIGIN, lit(null).cast(DataTypes.StringType));
      if (refs.size() > FILES_READ_ONE_BY_ONE) {
        org.apache.spark.sql.Column url = col("_metadata.file_path");
        // url_decode reads '+' as a space, which a path's URL leaves as it is.
        org.apache.spark.sql.Column path =
            functions.url_decode(functions.regexp_replace(url, "\\+", "%2B"));
        org.apache.spark.sql.Column origin =
            when(url.startsWith("file:"), functions.regexp_replace(path, "^file:(//)?", ""))
                .otherwise(path);
        return new Rows(reader.apply(all).withColumn(SOURCE_ORIGIN, origin), counted);
      }
      Dataset<Row> rows = null;
      for (FileRef ref : refs) {
        Dataset<Row> fileRows =
            reader
                .apply(new String[] {ref.readPath()})
                .withColumn(SOURCE_ORIGIN, lit(ref.origin()));
        rows = rows == null ? fileRows : rows.unionByName(fileRows, true);
      }
      return new Rows(rows, counted);
    }

    /** A file's bytes, uncompressed when its name says it is compressed (a.json.gz). */
    private InputStream open(String path) throws IOException {
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path);
      Configuration configuration = spark.sparkContext().hadoopConfiguration();
      InputStream in = file.getFileSystem(configuration).open(file);
      CompressionCodec codec = new CompressionCodecFactory(configuration).getCodec(file);
      return codec == null ? in : codec.createInputStream(in);
    }

    // ---- Parquet

    Rows parquet() {
      return read(expand(), paths -> spark.read().parquet(paths));
    }

    StructType parquetSchema() {
      return spark
          .read()
          .parquet(expand().stream().map(FileRef::readPath).toArray(String[]::new))
          .schema();
    }

    // ---- CSV

    /**
     * Spark's CSV reader set up as DuckDB reads CSV: every column as text, quotes escaped by
     * doubling them, line breaks inside quoted values, and a malformed row (a wrong number of
     * fields) an error rather than a row padded with NULLs.
     */
    private DataFrameReader csvReader() {
      DataFrameReader reader =
          spark
              .read()
              .format("csv")
              .option("inferSchema", false)
              .option("multiLine", true)
              .option("mode", "FAILFAST")
              .option("sep", option("delimiter").orElse(","))
              .option("quote", option("quote").orElse("\""))
              .option("escape", option("escape").orElse("\""));
      option("comment").filter(c -> !c.isEmpty()).ifPresent(c -> reader.option("comment", c));
      option("encoding").ifPresent(e -> reader.option("encoding", charset(e)));
      return reader;
    }

    /** DuckDB's encoding names (utf-8, utf-16, latin-1) as Java's. */
    private static String charset(String encoding) {
      String name = encoding.strip().toLowerCase(Locale.ROOT).replace('_', '-');
      return switch (name) {
        case "utf-8", "utf8" -> "UTF-8";
        case "utf-16", "utf16" -> "UTF-16";
        case "latin-1", "latin1", "iso-8859-1" -> "ISO-8859-1";
        default -> encoding.strip();
      };
    }

    /**
     * The names of a CSV file's columns as DuckDB gives them: the header's, a repeated name
     * (ignoring case) numbered {@code a_1} and an empty one named {@code column3}; without a
     * header, {@code declared} names the first columns by position and the rest are {@code
     * columnN}.
     */
    List<String> csvNames(String path, List<String> declared) {
      List<String> cells = firstRecord(path);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < cells.size(); i++) {
        String name;
        if (options.header()) {
          name = cells.get(i) == null || cells.get(i).isEmpty() ? "column" + i : cells.get(i);
        } else {
          name = i < declared.size() ? declared.get(i) : "column" + i;
        }
        names.add(name);
      }
      return uniqueNames(names);
    }

    /** The cells of a CSV file's first record after the skipped lines: its header or first row. */
    private List<String> firstRecord(String path) {
      return firstRecords.computeIfAbsent(path, this::readFirstRecord);
    }

    private List<String> readFirstRecord(String path) {
      long skip = options.skip();
      List<Row> rows;
      if (skip == 0) {
        rows = csvReader().option("header", false).csv(path).limit(1).collectAsList();
      } else {
        List<String> lines = lines(path).takeAsList((int) Math.min(Integer.MAX_VALUE, skip + 1));
        if (lines.size() <= skip) {
          return List.of();
        }
        Dataset<String> line =
            spark.createDataset(List.of(lines.get((int) skip)), Encoders.STRING());
        rows = csvReader().option("header", false).csv(line).collectAsList();
      }
      if (rows.isEmpty()) {
        return List.of();
      }
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < rows.get(0).size(); i++) {
        cells.add(rows.get(0).getString(i));
      }
      return cells;
    }

    /** A file's lines, for skipping some (Spark's CSV reader cannot). */
    private Dataset<String> lines(String path) {
      if (option("encoding").map(FileScan::charset).filter(e -> !e.equals("UTF-8")).isPresent()) {
        throw failure("the csv option skip needs the encoding utf-8 on Spark", null);
      }
      return spark.read().textFile(path);
    }

    /**
     * The CSV files' rows with {@code names} for columns, all text. With the {@code null} option,
     * DuckDB reads that text as NULL and an empty field as empty text; without it, an empty field
     * is NULL, as Spark reads it.
     */
    Rows csv(List<String> names) {
      StructType schema = new StructType();
      for (String name : names) {
        schema = schema.add(name, DataTypes.StringType);
      }
      StructType columns = schema;
      Rows rows;
      long skip = options.skip();
      if (skip == 0) {
        boolean headerNames = options.header() && names.equals(firstRecord(files.paths().get(0)));
        rows =
            read(
                expand(),
                paths ->
                    csvReader()
                        .option("header", options.header())
                        // Spark then checks each file's header against the names.
                        .option("enforceSchema", !headerNames)
                        .schema(columns)
                        .csv(paths));
      } else {
        long firstData = skip + (options.header() ? 1 : 0);
        rows = null;
        for (FileRef file : expand()) {
          JavaRDD<String> data =
              lines(file.readPath())
                  .javaRDD()
                  .zipWithIndex()
                  .filter(line -> line._2() >= firstData)
                  .map(line -> line._1());
          Dataset<Row> fileRows =
              csvReader()
                  .schema(columns)
                  .csv(spark.createDataset(data.rdd(), Encoders.STRING()))
                  .withColumn(SOURCE_ORIGIN, lit(file.origin()));
          Rows more = new Rows(fileRows, fileRows);
          rows = rows == null ? more : rows.union(more);
        }
      }
      Optional<String> nullText = option("null");
      if (nullText.isEmpty()) {
        return rows;
      }
      List<org.apache.spark.sql.Column> withNulls = new ArrayList<>();
      for (String name : names) {
        org.apache.spark.sql.Column text = col(SparkSessions.quote(name));
        withNulls.add(
            when(text.isNull(), lit(""))
                .when(text.equalTo(nullText.get()), lit(null).cast(DataTypes.StringType))
                .otherwise(text)
                .as(name));
      }
      withNulls.add(col(SOURCE_ORIGIN));
      return rows.map(read -> read.select(withNulls.toArray(org.apache.spark.sql.Column[]::new)));
    }

    // ---- JSON

    /** How a JSON file holds its records. */
    private enum JsonLayout {
      /** One record per line, which Spark reads in parallel. */
      LINES,
      /** One value (usually an array of records) over several lines. */
      DOCUMENT,
      /** Several values over several lines, which Spark's reader cannot split: split here. */
      DOCUMENTS
    }

    /** What the values of a JSON key were in the sample. */
    private enum JsonKind {
      INTEGER,
      FLOAT,
      BOOLEAN,
      STRING,
      NESTED
    }

    /** The values of one key in a sample of JSON records. */
    private static final class KeyValues {
      private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
      private static final Pattern TIMESTAMP =
          Pattern.compile(
              "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?"
                  + "(Z|[+-][0-9]{2}(:?[0-9]{2})?)?");

      private final Set<JsonKind> kinds = EnumSet.noneOf(JsonKind.class);
      private String shape;
      private boolean oneShape = true;
      private boolean dates = true;
      private boolean timestamps = true;

      void add(JsonToken token, JsonParser parser) throws IOException {
        switch (token) {
          case VALUE_NUMBER_INT -> kinds.add(JsonKind.INTEGER);
          case VALUE_NUMBER_FLOAT -> kinds.add(JsonKind.FLOAT);
          case VALUE_TRUE, VALUE_FALSE -> kinds.add(JsonKind.BOOLEAN);
          case VALUE_STRING -> {
            kinds.add(JsonKind.STRING);
            String text = parser.getText();
            String textShape = text.replaceAll("[0-9]", "9");
            oneShape &= shape == null || shape.equals(textShape);
            shape = textShape;
            dates &= DATE.matcher(text).matches();
            timestamps &= TIMESTAMP.matcher(text).matches();
          }
          case START_OBJECT, START_ARRAY -> {
            kinds.add(JsonKind.NESTED);
            parser.skipChildren();
          }
          default -> {}
        }
      }

      /**
       * The type DuckDB's JSON reader detects for such values: strings of one date or timestamp
       * shape are dates or timestamps; mixed kinds, nested values and nulls are text.
       */
      DataType type() {
        if (kinds.equals(EnumSet.of(JsonKind.INTEGER))) {
          return DataType.BIGINT;
        }
        if (!kinds.isEmpty() && EnumSet.of(JsonKind.INTEGER, JsonKind.FLOAT).containsAll(kinds)) {
          return DataType.DOUBLE;
        }
        if (kinds.equals(EnumSet.of(JsonKind.BOOLEAN))) {
          return DataType.BOOLEAN;
        }
        boolean strings = kinds.equals(EnumSet.of(JsonKind.STRING)) && oneShape;
        if (strings && dates) {
          return DataType.DATE;
        }
        if (strings && timestamps) {
          return DataType.TIMESTAMP;
        }
        return DataType.STRING;
      }
    }

    /**
     * The first records of a JSON source: its keys in order of appearance, and each file's layout.
     */
    record JsonSample(Map<String, KeyValues> values, Map<FileRef, JsonLayout> layouts) {
      List<String> keys() {
        return List.copyOf(values.keySet());
      }

      /** The keys as DuckDB names them (a repeated name, ignoring case, numbered {@code a_1}). */
      List<Column> columns() {
        List<String> names = uniqueNames(List.copyOf(values.keySet()));
        List<KeyValues> keys = List.copyOf(values.values());
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
          columns.add(Column.of(names.get(i), keys.get(i).type()));
        }
        return List.copyOf(columns);
      }
    }

    /**
     * Reads the first {@value #SAMPLE_ROWS} records on the driver, as DuckDB's JSON reader samples
     * them: the keys and their values, and how each file lays out its records (or as the {@code
     * format} option says).
     */
    JsonSample jsonSample() {
      Map<String, KeyValues> values = new LinkedHashMap<>();
      Map<FileRef, JsonLayout> layouts = new LinkedHashMap<>();
      JsonFactory factory = new JsonFactory();
      int records = 0;
      for (FileRef file : expand()) {
        try (InputStream in = open(file.readPath());
            JsonParser parser = factory.createParser(in)) {
          JsonToken first = parser.nextToken();
          if (first == null) {
            layouts.put(file, JsonLayout.LINES);
            continue;
          }
          if (first == JsonToken.START_ARRAY) {
            layouts.put(file, layout(JsonLayout.DOCUMENT));
            for (JsonToken token = parser.nextToken();
                token != null && token != JsonToken.END_ARRAY && records < SAMPLE_ROWS;
                token = parser.nextToken()) {
              records += sampleRecord(parser, token, values);
            }
            continue;
          }
          int firstLine = parser.getTokenLocation().getLineNr();
          records += sampleRecord(parser, first, values);
          boolean oneLine = parser.getCurrentLocation().getLineNr() == firstLine;
          JsonToken next = parser.nextToken();
          layouts.put(
              file,
              layout(
                  oneLine
                      ? JsonLayout.LINES
                      : next == null ? JsonLayout.DOCUMENT : JsonLayout.DOCUMENTS));
          for (JsonToken token = next;
              token != null && records < SAMPLE_ROWS;
              token = parser.nextToken()) {
            records += sampleRecord(parser, token, values);
          }
        } catch (IOException e) {
          throw failure("cannot read " + file.origin() + " as JSON (" + e.getMessage() + ")", e);
        }
      }
      return new JsonSample(values, layouts);
    }

    private JsonLayout layout(JsonLayout found) {
      return switch (options.jsonFormat()) {
        case "newline_delimited" -> JsonLayout.LINES;
        case "array" -> JsonLayout.DOCUMENT;
        default -> found;
      };
    }

    private static int sampleRecord(
        JsonParser parser, JsonToken token, Map<String, KeyValues> values) throws IOException {
      if (token != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return 0;
      }
      for (JsonToken field = parser.nextToken();
          field == JsonToken.FIELD_NAME;
          field = parser.nextToken()) {
        String key = parser.getCurrentName();
        JsonToken value = parser.nextToken();
        values.computeIfAbsent(key, k -> new KeyValues()).add(value, parser);
      }
      return 1;
    }

    /** The JSON files' records with {@code keys} for columns, each value as text (nested: JSON). */
    Rows json(JsonSample sample, List<String> keys) {
      StructType schema = new StructType();
      for (String key : keys) {
        schema = schema.add(key, DataTypes.StringType);
      }
      StructType columns = schema;
      Map<JsonLayout, List<FileRef>> byLayout = new LinkedHashMap<>();
      sample
          .layouts()
          .forEach(
              (file, layout) -> byLayout.computeIfAbsent(layout, l -> new ArrayList<>()).add(file));
      List<Rows> parts = new ArrayList<>();
      for (Map.Entry<JsonLayout, List<FileRef>> group : byLayout.entrySet()) {
        switch (group.getKey()) {
          case LINES -> parts.add(read(group.getValue(), paths -> jsonReader(columns).json(paths)));
          case DOCUMENT ->
              parts.add(
                  read(
                      group.getValue(),
                      paths -> jsonReader(columns).option("multiLine", true).json(paths)));
          case DOCUMENTS -> group.getValue().forEach(file -> parts.add(splitHere(file, columns)));
        }
      }
      if (parts.isEmpty()) {
        Dataset<Row> none =
            spark.createDataFrame(List.of(), columns.add(SOURCE_ORIGIN, DataTypes.StringType));
        return new Rows(none, none);
      }
      return parts.stream().reduce(Rows::union).orElseThrow();
    }

    /** Spark's JSON reader with every requested key as text; a malformed record is an error. */
    private DataFrameReader jsonReader(StructType schema) {
      return spark.read().schema(schema).option("mode", "FAILFAST");
    }

    /** A file of several multi-line JSON values, split into records on the driver. */
    private Rows splitHere(FileRef file, StructType schema) {
      ObjectMapper mapper = new ObjectMapper();
      List<String> records = new ArrayList<>();
      try (InputStream in = open(file.readPath());
          JsonParser parser = mapper.getFactory().createParser(in)) {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
          records.add(mapper.readTree(parser).toString());
        }
      } catch (IOException e) {
        throw failure("cannot read " + file.origin() + " as JSON (" + e.getMessage() + ")", e);
      }
      Dataset<Row> rows =
          jsonReader(schema)
              .json(spark.createDataset(records, Encoders.STRING()))
              .withColumn(SOURCE_ORIGIN, lit(file.origin()));
      return new Rows(rows, rows);
    }
  }
}
