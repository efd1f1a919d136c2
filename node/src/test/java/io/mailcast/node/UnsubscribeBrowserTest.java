package io.mailcast.node;

import io.mailcast.store.MongoSuppressionList;
import io.mailcast.suppression.SignedUnsubscribeLinks;
import io.mailcast.suppression.Suppression;
import io.mailcast.suppression.SuppressionReason;
import io.mailcast.suppression.UnsubscribeSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A person unsubscribing in a real browser (headless Chromium): the link's page, its button, the result. */
class UnsubscribeBrowserTest {

    private final NodeCluster cluster = new NodeCluster();
    private SignedUnsubscribeLinks links;
    private MongoSuppressionList suppressions;
    private HeadlessChromium browser;

    @BeforeAll
    static void needsChromium() {
        assumeTrue(HeadlessChromium.installed(), "chromium is not on the PATH (Debian: apt-get install chromium)");
    }

    @BeforeEach
    void start(@TempDir Path profile) throws Exception {
        int port = UnsubscribeEndpointTest.freePort();
        links = new SignedUnsubscribeLinks("http://127.0.0.1:" + port, null,
                new UnsubscribeSigner("browser-test-secret-0123456789".getBytes(StandardCharsets.US_ASCII)));
        cluster.startNode(port, links);
        suppressions = new MongoSuppressionList(cluster.mongo);
        browser = HeadlessChromium.start(profile);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        cluster.close();
    }

    @Test
    void openingTheLinkAsksFirstAndTheButtonUnsubscribes() throws Exception {
        browser.open(links.forRecipient("spring-sale", "42", "zoe@example.com").url());

        assertThat(browser.evaluate("document.title")).isEqualTo("Unsubscribe");
        assertThat((String) browser.evaluate("document.body.innerText")).contains("zoe@example.com");
        assertThat(entries()).as("opening the page unsubscribes nobody").isEmpty();

        browser.clickAndAwaitLoad("#unsubscribe");

        assertThat(browser.evaluate("document.title")).isEqualTo("Unsubscribed");
        assertThat((String) browser.evaluate("document.getElementById('done').innerText")).contains("zoe@example.com");
        assertThat(entries()).singleElement().satisfies(s -> {
            assertThat(s.address()).isEqualTo("zoe@example.com");
            assertThat(s.reason()).isEqualTo(SuppressionReason.UNSUBSCRIBED);
            assertThat(s.sourceCampaign()).isEqualTo("spring-sale");
        });
    }

    @Test
    void aForgedLinkShowsAnErrorPageAndChangesNothing() throws Exception {
        String url = links.forRecipient("spring-sale", "42", "zoe@example.com").url();
        char last = url.charAt(url.length() - 1);

        browser.open(url.substring(0, url.length() - 1) + (last == 'A' ? 'B' : 'A'));

        assertThat(browser.evaluate("document.title")).isEqualTo("Invalid link");
        assertThat(browser.evaluate("document.querySelector('form')")).isNull();
        assertThat(entries()).isEmpty();
    }

    private List<Suppression> entries() {
        List<Suppression> all = new ArrayList<>();
        suppressions.forEach(all::add);
        return all;
    }
}
