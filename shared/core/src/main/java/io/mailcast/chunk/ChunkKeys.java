package io.mailcast.chunk;

/** Chunk keys are {@code <campaignId>/<index>}: readable in Management Center and sortable per campaign. */
public final class ChunkKeys {

    private ChunkKeys() {
    }

    public static String of(String campaignId, int index) {
        return campaignId + "/" + String.format("%06d", index);
    }

    public static String campaignOf(String key) {
        return key.substring(0, key.lastIndexOf('/'));
    }
}
