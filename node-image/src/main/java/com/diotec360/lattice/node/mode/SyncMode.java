package com.diotec360.lattice.node.mode;

/** The sync path that is actually active: P2P push (HTTP on standby) or HTTP polling. */
public enum SyncMode {
    P2P, HTTP
}
