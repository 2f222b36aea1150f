#!/usr/bin/env bash
# Regenerates the LatticeNode CRD from the Java model and copies it to crds/, where it is committed.
# CrdDriftTest fails the build when crds/ and the generated CRD differ.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
crd="latticenodes.lattice.diotec360.com-v1.yml"
cd "$root"
./mvnw -B -q -pl operator process-classes
cp "operator/target/classes/META-INF/fabric8/$crd" "crds/$crd"
echo "updated crds/$crd"
