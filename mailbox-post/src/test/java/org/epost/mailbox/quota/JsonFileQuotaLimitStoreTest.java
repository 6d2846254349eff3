package org.epost.mailbox.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.Domain;
import org.epost.mailbox.model.QuotaLimit;
import org.epost.mailbox.model.QuotaResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peer's global and domain limits file: written whole and atomically, read back exactly, read strictly. */
class JsonFileQuotaLimitStoreTest {
    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("quota/limits.json");
    }

    @Test
    void aPeerWithoutAFileHasNoLimits() throws IOException {
        assertThat(new JsonFileQuotaLimitStore(file()).load()).isEqualTo(PeerQuotaLimits.NONE);
    }

    @Test
    void savedLimitsAreReadBackByAnotherStoreOverTheSameFile() throws IOException {
        PeerQuotaLimits limits = PeerQuotaLimits.NONE
            .withGlobal(QuotaResource.MESSAGES, Optional.of(QuotaLimit.of(1000)))
            .withGlobal(QuotaResource.STORAGE, Optional.of(QuotaLimit.unlimited()))
            .withDomain(Domain.of("Example.ORG"), QuotaResource.STORAGE, Optional.of(QuotaLimit.of(1L << 40)))
            .withDomain(Domain.of("other.test"), QuotaResource.MESSAGES, Optional.of(QuotaLimit.of(0)));

        new JsonFileQuotaLimitStore(file()).save(limits);

        assertThat(new JsonFileQuotaLimitStore(file()).load()).isEqualTo(limits);
        assertThat(Files.readString(file())).contains("\"example.org\"").contains("\"unlimited\"");
        try (var files = Files.list(file().getParent())) {
            assertThat(files).containsExactly(file()); // no temporary file left behind
        }
    }

    @Test
    void aDomainWhoseLimitsAreAllRemovedIsNoLongerListed() throws IOException {
        Domain domain = Domain.of("example.org");
        PeerQuotaLimits limits = PeerQuotaLimits.NONE
            .withDomain(domain, QuotaResource.STORAGE, Optional.of(QuotaLimit.of(10)))
            .withDomain(domain, QuotaResource.STORAGE, Optional.empty());
        JsonFileQuotaLimitStore store = new JsonFileQuotaLimitStore(file());

        store.save(limits);

        assertThat(limits.domains()).isEmpty();
        assertThat(store.load()).isEqualTo(PeerQuotaLimits.NONE);
    }

    @Test
    void aFileWrittenByHandInTheDocumentedFormatIsRead() throws IOException {
        write("{\"global\": {\"size\": 2048}, \"domains\": {\"a.test\": {\"count\": 5, \"size\": \"unlimited\"}}}");

        PeerQuotaLimits limits = new JsonFileQuotaLimitStore(file()).load();

        assertThat(limits.global()).isEqualTo(Map.of(QuotaResource.STORAGE, QuotaLimit.of(2048)));
        assertThat(limits.domain(Domain.of("A.test"), QuotaResource.MESSAGES)).contains(QuotaLimit.of(5));
        assertThat(limits.domain(Domain.of("a.test"), QuotaResource.STORAGE)).contains(QuotaLimit.unlimited());
    }

    @Test
    void aCorruptFileIsAnErrorNamingTheFileAndWhy() throws IOException {
        assertCorrupt("{\"global\": {\"count\": 5}", "not JSON");
        assertCorrupt("", "not a JSON object");
        assertCorrupt("[]", "not a JSON object");
        assertCorrupt("{\"global\": {}}", "'domains' is missing");
        assertCorrupt("{\"global\": {}, \"domains\": {}, \"extra\": 1}", "unknown key 'extra'");
        assertCorrupt("{\"global\": {\"count\": -1}, \"domains\": {}}", "global count is -1");
        assertCorrupt("{\"global\": {\"size\": 1.5}, \"domains\": {}}", "global size is 1.5");
        assertCorrupt("{\"global\": {\"size\": \"lots\"}, \"domains\": {}}", "global size is \"lots\"");
        assertCorrupt("{\"global\": {\"size\": 99999999999999999999}, \"domains\": {}}", "global size is");
        assertCorrupt("{\"global\": {\"cuont\": 3}, \"domains\": {}}", "unknown key 'cuont'");
        assertCorrupt("{\"global\": {}, \"domains\": {\"Upper.test\": {\"count\": 1}}}", "normalized form");
        assertCorrupt("{\"global\": {}, \"domains\": {\"bad domain\": {\"count\": 1}}}", "is not a domain");
        assertCorrupt("{\"global\": {}, \"domains\": {\"a.test\": {}}}", "has no limits");
        assertCorrupt("{\"global\": {\"count\": 1, \"count\": 2}, \"domains\": {}}", "not JSON");
        assertCorrupt("{\"global\": {}, \"domains\": {}} {}", "not JSON");
    }

    private void assertCorrupt(String content, String why) throws IOException {
        write(content);
        assertThatThrownBy(() -> new JsonFileQuotaLimitStore(file()).load())
            .as(content)
            .isInstanceOf(IOException.class)
            .hasMessageContaining(file().toString())
            .hasMessageContaining("corrupt")
            .hasMessageContaining(why);
    }

    private void write(String content) throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), content);
    }
}
