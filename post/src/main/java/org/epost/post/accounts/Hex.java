package org.epost.post.accounts;

import java.util.HexFormat;

final class Hex {
    private Hex() {
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
