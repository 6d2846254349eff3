package org.epost.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;

import org.apache.james.core.healthcheck.Result;
import org.apache.james.core.healthcheck.ResultStatus;
import org.epost.peer.directory.PeerDirectoryStore;
import org.epost.peer.overlay.OverlayService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import reactor.core.publisher.Mono;

class EpostHealthCheckTest {

    @Test
    void healthyWhileTheStoreAnswersAndUnhealthyOnceItDoesNot(@TempDir Path directory) {
        PeerDirectoryStore store = new PeerDirectoryStore(directory);
        EpostHealthCheck healthCheck = new EpostHealthCheck(store,
            new OverlayService(new EpostConfiguration("peer1", directory, Optional.empty())));

        Result whileOpen = Mono.from(healthCheck.check()).block();
        store.close();
        Result afterClose = Mono.from(healthCheck.check()).block();

        assertThat(whileOpen.getStatus()).isEqualTo(ResultStatus.HEALTHY);
        assertThat(whileOpen.getComponentName().getName()).isEqualTo("ePOST");
        assertThat(afterClose.getStatus()).isEqualTo(ResultStatus.UNHEALTHY);
        assertThat(afterClose.getCause()).get().asString().contains("closed");
    }
}
