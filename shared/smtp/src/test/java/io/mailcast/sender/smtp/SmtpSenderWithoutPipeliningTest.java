package io.mailcast.sender.smtp;

/**
 * Every SmtpSenderTest case against a relay that offers neither PIPELINING nor 8BITMIME: commands go one at a time and
 * bodies are 7-bit.
 */
class SmtpSenderWithoutPipeliningTest extends SmtpSenderTest {

    @Override
    boolean extensions() {
        return false;
    }
}
