package dev.conform.planner;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

/**
 * Decimals of 38 digits plan as such, while arithmetic on decimals of up to 19 digits keeps the
 * types Calcite's default derives (the types of columns that tables and journals already hold).
 */
class WideDecimalTypeSystemTest {
  private final RelDataTypeFactory wide = new SqlTypeFactoryImpl(WideDecimalTypeSystem.INSTANCE);
  private final RelDataTypeFactory standard = new SqlTypeFactoryImpl(RelDataTypeSystem.DEFAULT);

  @Test
  void holdsThirtyEightDigits() {
    RelDataType position = wide.createSqlType(SqlTypeName.DECIMAL, 38, 0);
    assertThat(position.getPrecision()).isEqualTo(38);
    assertThat(standard.createSqlType(SqlTypeName.DECIMAL, 38, 0).getPrecision()).isEqualTo(19);
  }

  @Test
  void derivesTheDefaultTypesForNarrowOperands() {
    RelDataTypeSystem system = WideDecimalTypeSystem.INSTANCE;
    RelDataType amount = wide.createSqlType(SqlTypeName.DECIMAL, 10, 2);
    RelDataType price = wide.createSqlType(SqlTypeName.DECIMAL, 12, 2);
    RelDataType three = wide.createSqlType(SqlTypeName.DECIMAL, 1, 0);

    assertThat(text(system.deriveDecimalDivideType(wide, amount, three)))
        .isEqualTo(text(RelDataTypeSystem.DEFAULT.deriveDecimalDivideType(standard, amount, three)))
        .isEqualTo("DECIMAL(14, 6)");
    assertThat(text(system.deriveDecimalMultiplyType(wide, price, price)))
        .isEqualTo("DECIMAL(19, 4)");
    assertThat(text(system.deriveDecimalPlusType(wide, amount, price))).isEqualTo("DECIMAL(13, 2)");
    assertThat(text(system.deriveDecimalModType(wide, amount, three))).isEqualTo("DECIMAL(3, 2)");
  }

  @Test
  void derivesWideTypesForWideOperands() {
    RelDataType position = wide.createSqlType(SqlTypeName.DECIMAL, 38, 0);
    RelDataType one = wide.createSqlType(SqlTypeName.DECIMAL, 1, 0);
    assertThat(
            WideDecimalTypeSystem.INSTANCE
                .deriveDecimalPlusType(wide, position, one)
                .getPrecision())
        .isEqualTo(38);
  }

  private static String text(RelDataType type) {
    return type.getFullTypeString().replace(" NOT NULL", "");
  }
}
