package com.diotec360.lattice.operator.reconcile.dependents;

import com.diotec360.lattice.operator.api.LatticeSecrets;

import com.diotec360.lattice.operator.api.LatticeLabels;
import com.diotec360.lattice.operator.api.ResourceNames;
import com.diotec360.lattice.operator.plan.LatticePlan;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The lattice secret {@code <lattice>-lattice-secret}: the bearer token of the nodes' write and
 * mode-switch calls and the P2P shared key. Created with a random token when absent; its token is
 * never changed by the operator afterwards (rotate it by deleting the Secret and restarting the
 * nodes). It is never logged or put in an Event.
 */
@KubernetesDependent(informer = @Informer(labelSelector = LatticeLabels.SELECT_LATTICE_SECRETS))
@Writes("the lattice Secret")
public class LatticeSecretDependent extends LatticeOwnedDependent<Secret> {

  private static final SecureRandom RANDOM = new SecureRandom();

  public LatticeSecretDependent() {
    super(Secret.class);
  }

  @Override
  protected String name(String lattice) {
    return ResourceNames.latticeSecret(lattice);
  }

  @Override
  protected Secret build(LatticePlan plan, Optional<Secret> live) {
    Map<String, String> data =
        live.map(Secret::getData)
            .filter(d -> d.containsKey(LatticeSecrets.TOKEN_KEY))
            .orElseGet(() -> Map.of(LatticeSecrets.TOKEN_KEY, LatticeSecrets.newEncodedToken()));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(ResourceNames.latticeSecret(plan.name()))
        .withNamespace(plan.namespace())
        .withLabels(LatticeLabels.forLattice(plan.name(), LatticeLabels.COMPONENT_LATTICE_SECRET))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  @Override
  protected boolean sameContent(Secret actual, Secret desired) {
    return Objects.equals(actual.getData(), desired.getData());
  }

}
