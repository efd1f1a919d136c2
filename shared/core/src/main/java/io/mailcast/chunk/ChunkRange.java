package io.mailcast.chunk;

/**
 * The planned slice of a campaign: eligible subscribers with ids in {@code [firstId, lastId]}. Consecutive chunks
 * tile the planned id span without gaps.
 *
 * @param planned eligible recipients counted in the range when planning
 */
public record ChunkRange(String campaignId, int index, long firstId, long lastId, int planned) {

    public ChunkRange {
        if (firstId > lastId) {
            throw new IllegalArgumentException("chunk range is empty: " + firstId + ".." + lastId);
        }
    }

    public String key() {
        return ChunkKeys.of(campaignId, index);
    }
}
