package dev.conform.planner;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system with decimals of up to 38 digits, as every warehouse Conform writes to
 * holds. Calcite's default caps them at 19, which casts a change column's decimal(38,0) log
 * position (or any declared decimal wider than 19 digits) down and fails on real values. Arithmetic
 * on decimals of up to 19 digits derives the types Calcite's default gives, so that the columns a
 * project computed before keep their types (and values) in the tables and journals that hold them.
 * Public only because Calcite instantiates its type system by reflection.
 */
public final class WideDecimalTypeSystem extends RelDataTypeSystemImpl {
  public static final WideDecimalTypeSystem INSTANCE = new WideDecimalTypeSystem();

  private static final int MAX_DECIMAL_PRECISION = 38;

  private WideDecimalTypeSystem() {}

  @Override
  public RelDataType deriveDecimalPlusType(
      RelDataTypeFactory factory, RelDataType left, RelDataType right) {
    return narrow(left, right)
        ? RelDataTypeSystem.DEFAULT.deriveDecimalPlusType(factory, left, right)
        : super.deriveDecimalPlusType(factory, left, right);
  }

  @Override
  public RelDataType deriveDecimalMultiplyType(
      RelDataTypeFactory factory, RelDataType left, RelDataType right) {
    return narrow(left, right)
        ? RelDataTypeSystem.DEFAULT.deriveDecimalMultiplyType(factory, left, right)
        : super.deriveDecimalMultiplyType(factory, left, right);
  }

  @Override
  public RelDataType deriveDecimalDivideType(
      RelDataTypeFactory factory, RelDataType left, RelDataType right) {
    return narrow(left, right)
        ? RelDataTypeSystem.DEFAULT.deriveDecimalDivideType(factory, left, right)
        : super.deriveDecimalDivideType(factory, left, right);
  }

  @Override
  public RelDataType deriveDecimalModType(
      RelDataTypeFactory factory, RelDataType left, RelDataType right) {
    return narrow(left, right)
        ? RelDataTypeSystem.DEFAULT.deriveDecimalModType(factory, left, right)
        : super.deriveDecimalModType(factory, left, right);
  }

  /** True when neither operand is wider than Calcite's default allows. */
  private static boolean narrow(RelDataType left, RelDataType right) {
    int limit = RelDataTypeSystem.DEFAULT.getMaxNumericPrecision();
    return left.getPrecision() <= limit && right.getPrecision() <= limit;
  }

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL
        ? MAX_DECIMAL_PRECISION
        : super.getMaxPrecision(typeName);
  }
}
