package com.diotec360.lattice.local.runtime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which ConfigMap key a path inside the container shows, following the pod template's volume
 * mounts ({@code /etc/lattice/peers} → volume {@code peer-list} → ConfigMap {@code <node>-peer-list},
 * key {@code peers}). The runtime keeps a local file equal to that key instead of mounting it.
 */
record MountedConfigMapKey(String configMap, String key) {

  static Optional<MountedConfigMapKey> of(Deployment deployment, String containerPath) {
    if (containerPath == null || containerPath.isBlank()) {
      return Optional.empty();
    }
    var podSpec = deployment.getSpec().getTemplate().getSpec();
    Container container = podSpec.getContainers().get(0);
    for (VolumeMount mount : Objects.requireNonNullElse(container.getVolumeMounts(), List.<VolumeMount>of())) {
      String dir = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
      if (!containerPath.startsWith(dir)) {
        continue;
      }
      String relative = containerPath.substring(dir.length());
      Optional<Volume> volume =
          Objects.requireNonNullElse(podSpec.getVolumes(), List.<Volume>of()).stream()
              .filter(v -> v.getName().equals(mount.getName()) && v.getConfigMap() != null)
              .findFirst();
      if (volume.isEmpty()) {
        continue;
      }
      var source = volume.get().getConfigMap();
      List<KeyToPath> items = Objects.requireNonNullElse(source.getItems(), List.of());
      if (items.isEmpty()) {
        return Optional.of(new MountedConfigMapKey(source.getName(), relative));
      }
      return items.stream()
          .filter(i -> relative.equals(i.getPath()))
          .findFirst()
          .map(i -> new MountedConfigMapKey(source.getName(), i.getKey()));
    }
    return Optional.empty();
  }
}
