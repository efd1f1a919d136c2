package io.mailcast.chunk;

public enum ChunkState {
    /** Waiting for a node; its key is (or will be re-offered) in the hand-out queue. */
    QUEUED,
    /** A node holds it under a lease. */
    OWNED,
    /** Every recipient has a recorded outcome. */
    DONE
}
