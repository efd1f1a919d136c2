package io.mailcast.sender.smtp;

/** Every SmtpSenderTest case against a relay that does not offer PIPELINING, so commands go one at a time. */
class SmtpSenderWithoutPipeliningTest extends SmtpSenderTest {

    @Override
    boolean pipelining() {
        return false;
    }
}
