package com.diotec360.lattice.embedded.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ages, the JSONPath subset, the built-in printers' cells and Accept negotiation, as kube-apiserver has them. */
class PrintersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  @Test
  void agesAreApimachinerysHumanDuration() {
    assertThat(Ages.human(Duration.ofSeconds(-1))).isEqualTo("0s");
    assertThat(Ages.human(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
    assertThat(Ages.human(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(Ages.human(Duration.ofSeconds(5 * 60 + 3))).isEqualTo("5m3s");
    assertThat(Ages.human(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Ages.human(Duration.ofMinutes(42))).isEqualTo("42m");
    assertThat(Ages.human(Duration.ofMinutes(3 * 60 + 20))).isEqualTo("3h20m");
    assertThat(Ages.human(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(Ages.human(Duration.ofHours(52))).isEqualTo("2d4h");
    assertThat(Ages.human(Duration.ofDays(20))).isEqualTo("20d");
    assertThat(Ages.human(Duration.ofDays(367 + 365))).isEqualTo("2y2d");
    assertThat(Ages.since(null, NOW)).isEqualTo("<unknown>");
  }

  @Test
  void crdColumnsFollowTheirJsonPath() throws Exception {
    JsonNode version = JSON.readTree("""
        {"name":"v1","additionalPrinterColumns":[
          {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\\"Ready\\")].status"},
          {"name":"First","type":"string","jsonPath":".spec.items[0].name","priority":1},
          {"name":"Count","type":"integer","jsonPath":".status.count"},
          {"name":"Map","type":"string","jsonPath":".spec.map"},
          {"name":"Since","type":"date","jsonPath":".status.since"}]}""");
    JsonNode object = JSON.readTree("""
        {"metadata":{"name":"x"},"spec":{"items":[{"name":"a"},{"name":"b"}],"map":{"z":1,"a":true}},
         "status":{"conditions":[{"type":"Synced","status":"False"},{"type":"Ready","status":"True"}],
                   "count":3,"since":"2025-06-01T11:55:00Z"}}""");
    CustomResourcePrinter printer = new CustomResourcePrinter(version);
    ArrayNode cells = JSON.createArrayNode();

    printer.cells(object, NOW, cells);

    assertThat(printer.columns()).extracting(Column::name).containsExactly("Name", "Ready", "First", "Count", "Map", "Since");
    assertThat(printer.columns().get(2).priority()).isEqualTo(1);
    assertThat(cells.toString()).isEqualTo("[\"x\",\"True\",\"a\",3,\"{\\\"a\\\":true,\\\"z\\\":1}\",\"5m\"]");

    ArrayNode empty = JSON.createArrayNode();
    printer.cells(JSON.readTree("{\"metadata\":{\"name\":\"y\"}}"), NOW, empty);
    assertThat(empty.toString()).isEqualTo("[\"y\",null,null,null,null,null]");
  }

  @Test
  void aCrdWithoutColumnsShowsNameAndAge() {
    assertThat(new CustomResourcePrinter(JSON.createObjectNode()).columns()).extracting(Column::name, Column::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Name", "string"), org.assertj.core.groups.Tuple.tuple("Age", "date"));
  }

  @Test
  void builtInPrintersRenderCellsAsKubeApiserver() throws Exception {
    assertThat(cells("", "persistentvolumeclaims", """
        {"metadata":{"name":"data","creationTimestamp":"2025-06-01T11:00:00Z"},
         "spec":{"volumeName":"pv-1","storageClassName":"standard","volumeMode":"Filesystem"},
         "status":{"phase":"Bound","capacity":{"storage":"10Gi"},"accessModes":["ReadWriteMany","ReadWriteOnce"]}}"""))
        .isEqualTo("[\"data\",\"Bound\",\"pv-1\",\"10Gi\",\"RWO,RWX\",\"standard\",\"<unset>\",\"60m\",\"Filesystem\"]");
    assertThat(cells("discovery.k8s.io", "endpointslices", """
        {"metadata":{"name":"web-abc"},"addressType":"IPv4","ports":[{"port":80},{"name":"x"}],
         "endpoints":[{"addresses":["10.0.0.1","10.0.0.2"]},{"addresses":["10.0.0.3","10.0.0.4"]}]}"""))
        .isEqualTo("[\"web-abc\",\"IPv4\",\"80,x\",\"10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...\",\"<unknown>\"]");
    assertThat(cells("", "services", """
        {"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","clusterIPs":["10.96.0.5"],
         "ports":[{"port":443,"nodePort":30443,"protocol":"TCP"}]},"status":{"loadBalancer":{}}}"""))
        .startsWith("[\"lb\",\"LoadBalancer\",\"10.96.0.5\",\"<pending>\",\"443:30443/TCP\"");
    assertThat(cells("", "secrets", "{\"metadata\":{\"name\":\"s\"},\"type\":\"Opaque\",\"data\":{\"a\":\"eA==\"}}"))
        .isEqualTo("[\"s\",\"Opaque\",1,\"<unknown>\"]");
    assertThat(BuiltInPrinters.selector(JSON.readTree(
        "{\"matchLabels\":{\"b\":\"2\"},\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[\"y\",\"x\"]}]}")))
        .isEqualTo("a in (x,y),b=2");
    assertThat(Tables.printer("", "pods", Optional.empty()).columns()).extracting(Column::name)
        .containsExactly("Name", "Age");
  }

  @Test
  void acceptNegotiationPicksTheFirstAcceptableEntry() {
    assertThat(TableFormat.negotiate("application/json;as=Table;v=v1;g=meta.k8s.io,application/json"))
        .isEqualTo(new TableFormat(TableFormat.Kind.TABLE, "v1"));
    assertThat(TableFormat.negotiate("application/json;as=Table;v=v9;g=meta.k8s.io,"
        + "application/json;as=Table;v=v1beta1;g=meta.k8s.io").version()).isEqualTo("v1beta1");
    assertThat(TableFormat.negotiate("application/vnd.kubernetes.protobuf,application/json").kind())
        .isEqualTo(TableFormat.Kind.PLAIN);
    assertThat(TableFormat.negotiate(null).kind()).isEqualTo(TableFormat.Kind.PLAIN);
    assertThat(TableFormat.negotiate("application/json;as=Table;v=v9;g=meta.k8s.io").kind())
        .isEqualTo(TableFormat.Kind.NOT_ACCEPTABLE);
  }

  private static String cells(String group, String plural, String object) throws Exception {
    ArrayNode cells = JSON.createArrayNode();
    Tables.printer(group, plural, Optional.empty()).cells(JSON.readTree(object), NOW, cells);
    return cells.toString();
  }

}
