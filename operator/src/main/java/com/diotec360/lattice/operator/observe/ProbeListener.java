package com.diotec360.lattice.operator.observe;

import java.time.Duration;

/** Told about every probe (metrics); must be cheap and must not block. */
public interface ProbeListener {

  void probed(NodeTarget target, NodeReport report, Duration took);

  /** The node is no longer probed: it is suspended, or its LatticeNode is gone. */
  void stoppedProbing(NodeTarget target);

  ProbeListener NONE =
      new ProbeListener() {
        @Override
        public void probed(NodeTarget target, NodeReport report, Duration took) {}

        @Override
        public void stoppedProbing(NodeTarget target) {}
      };
}
