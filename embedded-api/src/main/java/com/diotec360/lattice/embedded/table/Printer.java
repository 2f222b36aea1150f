package com.diotec360.lattice.embedded.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.List;

/** How one resource is shown in a Table: its columns and the cells of one object's row. */
public interface Printer {

  List<Column> columns();

  /** Appends the object's cells (one per column, JSON null for an empty cell). */
  void cells(JsonNode object, Instant now, ArrayNode cells);
}
