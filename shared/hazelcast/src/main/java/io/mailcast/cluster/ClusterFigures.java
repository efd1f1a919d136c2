package io.mailcast.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import io.mailcast.campaign.Campaign;
import io.mailcast.campaign.CampaignReactions;

import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * Figures that live in MongoDB, copied into IMaps as flat JSON so Management Center's SQL browser can query them with
 * the chunk and node figures: per campaign its state and the recipients' reactions ({@value #CAMPAIGNS}), per API key
 * its send-API messages ({@value #API_KEYS}). Entries expire unless refreshed, so a figure nobody publishes any more
 * disappears instead of going stale.
 */
public final class ClusterFigures {

    public static final String CAMPAIGNS = "campaign_stats";
    public static final String API_KEYS = "api_key_stats";
    static final long TTL_SECONDS = 300;

    static final String CAMPAIGNS_MAPPING = "CREATE OR REPLACE MAPPING \"" + CAMPAIGNS + "\" ("
            + "\"__key\" VARCHAR, \"campaignId\" VARCHAR, \"state\" VARCHAR, \"eligible\" BIGINT, "
            + "\"unsubscribed\" BIGINT, \"bounced\" BIGINT, \"hardBounced\" BIGINT, \"complaints\" BIGINT, "
            + "\"updatedAt\" BIGINT) TYPE IMap OPTIONS ('keyFormat'='varchar', 'valueFormat'='json-flat')";
    static final String API_KEYS_MAPPING = "CREATE OR REPLACE MAPPING \"" + API_KEYS + "\" ("
            + "\"__key\" VARCHAR, \"keyId\" VARCHAR, \"queued\" BIGINT, \"sent\" BIGINT, \"failed\" BIGINT, "
            + "\"cancelled\" BIGINT, \"updatedAt\" BIGINT) TYPE IMap OPTIONS ('keyFormat'='varchar', "
            + "'valueFormat'='json-flat')";

    private final IMap<String, HazelcastJsonValue> campaigns;
    private final IMap<String, HazelcastJsonValue> apiKeys;

    public ClusterFigures(HazelcastInstance hazelcast) {
        this.campaigns = hazelcast.getMap(CAMPAIGNS);
        this.apiKeys = hazelcast.getMap(API_KEYS);
    }

    public void campaign(Campaign campaign, CampaignReactions reactions, long at) {
        campaigns.set(campaign.id(), json(new StringJoiner(",", "{", "}").add(text("campaignId", campaign.id()))
                .add(text("state", campaign.state().name())).add(number("eligible", campaign.eligible()))
                .add(number("unsubscribed", reactions.unsubscribed())).add(number("bounced", reactions.bounced()))
                .add(number("hardBounced", reactions.hardBounced())).add(number("complaints", reactions.complaints()))
                .add(number("updatedAt", at))), TTL_SECONDS, TimeUnit.SECONDS);
    }

    public void apiKey(String keyId, long queued, long sent, long failed, long cancelled, long at) {
        apiKeys.set(keyId, json(new StringJoiner(",", "{", "}").add(text("keyId", keyId)).add(number("queued", queued))
                .add(number("sent", sent)).add(number("failed", failed)).add(number("cancelled", cancelled))
                .add(number("updatedAt", at))), TTL_SECONDS, TimeUnit.SECONDS);
    }

    private static HazelcastJsonValue json(StringJoiner object) {
        return new HazelcastJsonValue(object.toString());
    }

    private static String number(String name, long value) {
        return "\"" + name + "\":" + value;
    }

    /** Ids here are Mailcast's own (letters, digits and a few marks); escaping keeps any other text valid JSON. */
    private static String text(String name, String value) {
        StringBuilder out = new StringBuilder("\"").append(name).append("\":\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
