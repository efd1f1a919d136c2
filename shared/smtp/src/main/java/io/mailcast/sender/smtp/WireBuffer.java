package io.mailcast.sender.smtp;

import java.util.Arrays;

/** A growable byte array for building one message; not thread-safe (one message, one thread). */
final class WireBuffer {

    private byte[] bytes;
    private int size;

    WireBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    WireBuffer append(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
        return this;
    }

    WireBuffer append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /** Appends text known to be ASCII (encoded headers, boundaries); anything else would be a bug upstream. */
    WireBuffer ascii(String text) {
        int length = text.length();
        ensure(length);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c > 127) {
                throw new IllegalArgumentException("non-ASCII character in a header: " + text);
            }
            bytes[size++] = (byte) c;
        }
        return this;
    }

    WireBuffer crlf() {
        ensure(2);
        bytes[size++] = '\r';
        bytes[size++] = '\n';
        return this;
    }

    int size() {
        return size;
    }

    /** The backing array, with room for {@code more} bytes after {@link #size()}; hand the new size to {@link #advanceTo}. */
    byte[] spaceFor(int more) {
        ensure(more);
        return bytes;
    }

    void advanceTo(int newSize) {
        if (newSize < size || newSize > bytes.length) {
            throw new IllegalArgumentException("size " + newSize + " outside " + size + ".." + bytes.length);
        }
        size = newSize;
    }

    /** Drops everything after the first {@code newSize} bytes. */
    void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("size " + newSize + " outside 0.." + size);
        }
        size = newSize;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
