package com.diotec360.lattice.node.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The current list of peer HTTP base URLs; tells listeners when it changes. */
public final class PeerDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);

    private final List<Consumer<List<URI>>> listeners = new CopyOnWriteArrayList<>();
    private volatile List<URI> peers;

    public PeerDirectory(List<URI> initial) {
        this.peers = List.copyOf(initial);
    }

    public List<URI> peers() {
        return peers;
    }

    public void onChange(Consumer<List<URI>> listener) {
        listeners.add(listener);
    }

    /** Removes a listener given to {@link #onChange}; pass the same object. */
    public void removeListener(Consumer<List<URI>> listener) {
        listeners.remove(listener);
    }

    /** How many listeners are registered (diagnostics: a part that stopped must have removed its own). */
    public int listenerCount() {
        return listeners.size();
    }

    /** Replaces the list; a no-op when nothing changed. */
    public void replace(List<URI> next, String source) {
        List<URI> before;
        synchronized (this) {
            before = peers;
            if (before.equals(next)) {
                return;
            }
            peers = List.copyOf(next);
        }
        List<URI> added = new ArrayList<>(next);
        added.removeAll(before);
        List<URI> removed = new ArrayList<>(before);
        removed.removeAll(next);
        LOG.atInfo().addKeyValue("event", "peer_list_changed").addKeyValue("source", source)
                .addKeyValue("peers", next.toString()).addKeyValue("added", added.toString())
                .addKeyValue("removed", removed.toString()).log("Peer list changed");
        listeners.forEach(l -> l.accept(peers));
    }
}
