package com.diotec360.lattice.operator.act;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one thread an actor calls its nodes on, off the reconcile thread: a node that answers slowly
 * delays that actor's next call, never a reconcile. A daemon, so it never holds the JVM open.
 */
final class BackgroundThread {

  private BackgroundThread() {}

  static ExecutorService named(String name) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }
}
