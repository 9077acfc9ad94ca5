package dev.conform.planner;

/**
 * The names of the tables one model uses: its target, the journal of the events it has applied, its
 * reject table, and the run's temporary tables.
 */
record ModelTables(String model) {

  String target() {
    return model;
  }

  /**
   * Type 2: the applied events the target cannot give back (see {@link Scd2Template}); Type 1: the
   * last event per key (tombstones included).
   */
  String journal() {
    return model + "__journal";
  }

  String rejects() {
    return model + "__rejects";
  }

  String temp(String suffix) {
    return "_conform_" + model + "_" + suffix;
  }
}
