package io.mailcast.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads request bodies as JSON within a size limit and writes JSON answers. Strict on input: trailing text after the
 * value and duplicate keys are malformed, since two parsers could read such a body differently.
 */
final class JsonBodies {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** @throws ApiError 413 when the body is larger than {@code limit} bytes, 400 when it is not JSON */
    JsonNode read(Context ctx, int limit) {
        if (ctx.contentLength() > limit) {
            throw tooLarge(limit);
        }
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > limit) {
            throw tooLarge(limit);
        }
        if (bytes.length == 0) {
            throw new ApiError(400, "the request has no body; send a JSON object", null);
        }
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "malformed JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new ApiError(400, "unreadable body: " + e.getMessage(), null);
        }
    }

    void write(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a tree of plain values always serialises", e);
        }
    }

    private static ApiError tooLarge(int limit) {
        return new ApiError(413, "request body larger than " + limit + " bytes", null);
    }
}
