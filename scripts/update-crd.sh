#!/usr/bin/env bash
# Regenerates the LatticeNode CRD from the Java model and copies it to crds/ and to the operator
# chart's crds/, where it is committed. CrdDriftTest and ChartCrdTest fail the build when either
# copy differs from the generated CRD.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
crd="latticenodes.lattice.diotec360.com-v1.yml"
cd "$root"
./mvnw -B -q -pl operator process-classes
cp "operator/target/classes/META-INF/fabric8/$crd" "crds/$crd"
cp "operator/target/classes/META-INF/fabric8/$crd" "charts/lattice-operator/crds/$crd"
echo "updated crds/$crd and charts/lattice-operator/crds/$crd"
