#!/usr/bin/env bash
# Regenerates the operator's CRDs (LatticeNode, Lattice) from the Java model and copies them to
# crds/ and to the operator chart's crds/, where they are committed. CrdDriftTest and ChartCrdTest
# fail the build when a copy differs from the generated CRD.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# -am: the operator resolves its sibling modules (test scope included) from this build, not from ~/.m2;
# test-compile: a sibling's test-jar (lattice-view's) resolves to its compiled test classes.
./mvnw -B -q -pl operator -am test-compile
for crd in latticenodes.lattice.diotec360.com-v1.yml lattices.lattice.diotec360.com-v1.yml; do
  cp "operator/target/classes/META-INF/fabric8/$crd" "crds/$crd"
  cp "operator/target/classes/META-INF/fabric8/$crd" "charts/lattice-operator/crds/$crd"
  echo "updated crds/$crd and charts/lattice-operator/crds/$crd"
done
