package com.diotec360.lattice.kubectl;

import com.diotec360.lattice.view.LatticeView;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code kubectl lattice status [LATTICE] [-n NS | -A] [-o text|json|yaml]}: per lattice the
 * header from its Lattice's status and a row per LatticeNode. {@code -o json|yaml} carry every
 * view field and, under {@code status}, the Lattice's status exactly as the operator wrote it.
 */
final class StatusCommand {

  private final KubernetesClient client;
  private final KubectlLattice.Cli cli;

  StatusCommand(KubernetesClient client, KubectlLattice.Cli cli) {
    this.client = client;
    this.cli = cli;
  }

  int run(Args args, KubectlLattice.Scope scope) throws UsageException {
    String output = args.oneOf("--output", "text", Set.of("text", "json", "yaml"));
    if (args.positional().size() > 1) {
      throw new UsageException("status takes at most one LATTICE, not " + args.positional());
    }
    Observed observed = Observed.read(client, scope);
    List<LatticeView> lattices = observed.views();
    if (args.positional().size() == 1) {
      String wanted = args.positional().get(0);
      List<LatticeView> matching = lattices.stream().filter(l -> l.name().equals(wanted)).toList();
      if (matching.isEmpty()) {
        Set<String> names = new TreeSet<>();
        lattices.forEach(l -> names.add(l.name()));
        throw new CommandException("no lattice \"" + wanted + "\" in " + scope.describe()
            + (names.isEmpty() ? " (there are no lattices)" : " (lattices there: " + String.join(", ", names) + ")"));
      }
      lattices = matching;
    }
    switch (output) {
      case "json", "yaml" -> {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("lattices", lattices);
        if (observed.latticesProblem() != null) {
          doc.put("latticesProblem", observed.latticesProblem());
        }
        if (observed.eventsProblem() != null) {
          doc.put("eventsProblem", observed.eventsProblem());
        }
        cli.out().print(output.equals("json") ? json(doc) + "\n" : Serialization.asYaml(doc));
      }
      default -> {
        if (lattices.isEmpty()) {
          cli.out().println("No LatticeNodes in " + scope.describe() + ".");
        } else {
          cli.out().print(new StatusTable(cli.clock().instant(), cli.tty()).render(lattices));
        }
        observed.problems().forEach(p -> cli.out().println("(" + p + ")"));
      }
    }
    return 0;
  }

  private static String json(Object doc) {
    ObjectMapper mapper = Serialization.jsonMapper().copy().enable(SerializationFeature.INDENT_OUTPUT);
    try {
      return mapper.writeValueAsString(doc);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
