package dev.conform.planner;

import dev.conform.spi.DataType;
import java.util.Optional;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/** Converts between Conform's {@link DataType} and Calcite's types; the one place that does. */
final class CalciteTypes {
  private CalciteTypes() {}

  static RelDataType toCalcite(RelDataTypeFactory factory, DataType type, boolean nullable) {
    RelDataType base =
        switch (type.kind()) {
          case STRING -> factory.createSqlType(SqlTypeName.VARCHAR);
          case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
          case INTEGER -> factory.createSqlType(SqlTypeName.INTEGER);
          case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
          case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
          case DECIMAL ->
              factory.createSqlType(SqlTypeName.DECIMAL, type.precision(), type.scale());
          case DATE -> factory.createSqlType(SqlTypeName.DATE);
          case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP);
        };
    return factory.createTypeWithNullability(base, nullable);
  }

  /** The Conform type of a Calcite type, or empty for types Conform does not store. */
  static Optional<DataType> fromCalcite(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case CHAR, VARCHAR -> Optional.of(DataType.STRING);
      case BOOLEAN -> Optional.of(DataType.BOOLEAN);
      case TINYINT, SMALLINT, INTEGER -> Optional.of(DataType.INTEGER);
      case BIGINT -> Optional.of(DataType.BIGINT);
      case FLOAT, REAL, DOUBLE -> Optional.of(DataType.DOUBLE);
      case DECIMAL ->
          Optional.of(
              DataType.decimal(
                  Math.min(38, Math.max(1, type.getPrecision())),
                  Math.max(0, Math.min(type.getScale(), Math.min(38, type.getPrecision())))));
      case DATE -> Optional.of(DataType.DATE);
      case TIMESTAMP -> Optional.of(DataType.TIMESTAMP);
      case NULL -> Optional.of(DataType.STRING);
      default -> Optional.empty();
    };
  }
}
