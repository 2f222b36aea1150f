package com.diotec360.lattice.embedded.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every change the store makes, in resourceVersion order, for the streamed watches: the recent
 * ones are kept so a watch started from a list's resourceVersion misses nothing that happened
 * between the list and the watch (what kubectl get -w does), as on a real server's watch cache.
 */
final class WatchHub {

  private static final Logger LOG = Logger.getLogger(WatchHub.class.getName());
  private static final int RETAINED = 4096;

  /** One change: ADDED, MODIFIED or DELETED, with the store's attributes of the object. */
  record Change(long resourceVersion, String type, AttributeSet attributes, JsonNode object) {}

  interface Listener {
    /** Called under the hub's lock: must not block. */
    void on(Change change);
  }

  private final ArrayDeque<Change> recent = new ArrayDeque<>();
  private final List<Listener> listeners = new ArrayList<>();
  /** Changes at or before this resourceVersion may have been dropped. */
  private long expiredThrough;

  synchronized void publish(Change change) {
    recent.addLast(change);
    if (recent.size() > RETAINED) {
      expiredThrough = recent.removeFirst().resourceVersion();
    }
    for (Listener listener : List.copyOf(listeners)) {
      deliver(listener, change);
    }
  }

  /**
   * Replays the retained changes after {@code from} to {@code listener}, then sends it every new
   * one. False (nothing subscribed) when changes after {@code from} are no longer all retained.
   */
  synchronized boolean subscribe(long from, Listener listener) {
    if (from < expiredThrough) {
      return false;
    }
    for (Change change : recent) {
      if (change.resourceVersion() > from) {
        deliver(listener, change);
      }
    }
    listeners.add(listener);
    return true;
  }

  synchronized void unsubscribe(Listener listener) {
    listeners.remove(listener);
  }

  synchronized long oldestRetained() {
    return expiredThrough;
  }

  synchronized int listenerCount() {
    return listeners.size();
  }

  private static void deliver(Listener listener, Change change) {
    try {
      listener.on(change);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a watch could not take a change", e);
    }
  }
}
