package io.mailcast.webhook;

/** POSTs one signed report; the HTTP client lives in an adapter. */
public interface WebhookTransport {

    /**
     * @param secret the key's webhook secret the report is signed with
     * @throws WebhookException when the receiver did not answer 2xx within the timeout
     */
    void post(PendingWebhook report, String url, String secret) throws WebhookException, InterruptedException;
}
