package dev.conform.planner;

import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system with decimals of up to 38 digits, as every warehouse Conform writes to
 * holds. Calcite's default caps them at 19, which casts a change column's decimal(38,0) log
 * position (or any declared decimal wider than 19 digits) down and fails on real values. Public
 * only because Calcite instantiates its type system by reflection.
 */
public final class WideDecimalTypeSystem extends RelDataTypeSystemImpl {
  public static final WideDecimalTypeSystem INSTANCE = new WideDecimalTypeSystem();

  private static final int MAX_DECIMAL_PRECISION = 38;

  private WideDecimalTypeSystem() {}

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL
        ? MAX_DECIMAL_PRECISION
        : super.getMaxPrecision(typeName);
  }
}
