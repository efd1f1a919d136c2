package io.mailcast.chunk;

import io.mailcast.subscriber.IdRange;

/**
 * The planned slice of a campaign: eligible subscribers with ids in {@code ids}. Consecutive chunks of one id kind
 * tile their part of the planned id span without gaps.
 *
 * @param planned eligible recipients counted in the range when planning
 */
public record ChunkRange(String campaignId, int index, IdRange ids, int planned) {

    public String key() {
        return ChunkKeys.of(campaignId, index);
    }
}
