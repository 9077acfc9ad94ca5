package dev.conform.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.RelBuilder;

/** Small relational moves the plan templates share, over a {@link RelBuilder}'s stack. */
final class Relations {
  private Relations() {}

  /** Equality of the named columns between the two inputs of a join being built. */
  static RexNode columnsEqual(RelBuilder b, List<String> columns) {
    List<RexNode> conditions = new ArrayList<>();
    for (String column : columns) {
      conditions.add(b.equals(b.field(2, 0, column), b.field(2, 1, column)));
    }
    return b.and(conditions);
  }

  /** NULL-safe equality of the named columns between the two inputs of a join being built. */
  static RexNode columnsNotDistinct(RelBuilder b, List<String> columns) {
    List<RexNode> conditions = new ArrayList<>();
    for (String column : columns) {
      conditions.add(notDistinct(b, b.field(2, 0, column), b.field(2, 1, column)));
    }
    return b.and(conditions);
  }

  static List<RexNode> fields(RelBuilder b, List<String> columns) {
    List<RexNode> nodes = new ArrayList<>();
    for (String column : columns) {
      nodes.add(b.field(column));
    }
    return nodes;
  }

  /** The surrogate key of {@code values} (see {@link DialectRenderer#HASH64}). */
  static RexNode hash64(RelBuilder b, List<RexNode> values) {
    return b.call(DialectRenderer.HASH64, values);
  }

  /**
   * Conditions that hold when the row on top of {@code b}'s stack has each of {@code flags}: its
   * boolean column IS TRUE or IS FALSE (NULL has neither).
   */
  static List<RexNode> withFlags(RelBuilder b, Map<String, Boolean> flags) {
    List<RexNode> conditions = new ArrayList<>();
    flags.forEach(
        (column, value) ->
            conditions.add(value ? isTrue(b, b.field(column)) : isFalse(b, b.field(column))));
    return conditions;
  }

  /** A query that counts the rows of {@code relation} with each of {@code flags}. */
  static RelNode countWithFlags(RelBuilder b, String relation, Map<String, Boolean> flags) {
    b.scan(relation);
    b.filter(withFlags(b, flags));
    countRows(b);
    return b.build();
  }

  /** {@code SELECT COUNT(*) FROM <top of stack>}. */
  static void countRows(RelBuilder b) {
    b.aggregate(b.groupKey(), b.countStar("rows"));
  }

  /**
   * NULL-safe equality, rendered natively per dialect (see {@link DialectRenderer#NOT_DISTINCT}).
   */
  static RexNode notDistinct(RelBuilder b, RexNode left, RexNode right) {
    return b.call(DialectRenderer.NOT_DISTINCT, left, right);
  }

  /**
   * Groups the rows on top of {@code b}'s stack by {@code columns}, with each of {@code counts}
   * summed under its own name.
   */
  static void sumBy(RelBuilder b, List<String> columns, List<String> counts) {
    List<RelBuilder.AggCall> sums = new ArrayList<>();
    for (String count : counts) {
      sums.add(b.sum(b.field(count)).as(count));
    }
    b.aggregate(b.groupKey(fields(b, columns)), sums);
  }

  /** {@code CASE WHEN condition THEN value ELSE 0 END}: a term of a conditional sum. */
  static RexNode valueIf(RelBuilder b, RexNode condition, RexNode value) {
    return b.call(SqlStdOperatorTable.CASE, condition, value, b.literal(0));
  }

  static RexNode isTrue(RelBuilder b, RexNode node) {
    return b.call(SqlStdOperatorTable.IS_TRUE, node);
  }

  static RexNode isFalse(RelBuilder b, RexNode node) {
    return b.call(SqlStdOperatorTable.IS_FALSE, node);
  }
}
