package org.epost.peer;

import java.io.FileNotFoundException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

import javax.inject.Named;
import javax.inject.Singleton;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.dropwizard.MetricsRoutes;
import org.epost.interop.relay.LegacyRecipientVerifier;
import org.epost.interop.relay.RelayReply;
import org.epost.interop.routes.Route;
import org.epost.interop.routes.RouteStore;
import org.epost.overlay.metrics.MetricSink;
import org.epost.peer.accounts.AccountGrace;
import org.epost.peer.accounts.AccountProvisioner;
import org.epost.peer.accounts.LocalUsers;
import org.epost.peer.config.EpostConfiguration;
import org.epost.peer.directory.PeerDirectoryStore;
import org.epost.peer.directory.PersistentDomainList;
import org.epost.peer.directory.PersistentUsersRepository;
import org.epost.peer.directory.ProvisioningUsersRepository;
import org.epost.peer.directory.UserLifecycleListener;
import org.epost.peer.health.EpostHealthCheck;
import org.epost.peer.imap.EpostImapModule;
import org.epost.peer.interop.EpostInteropModule;
import org.epost.peer.lease.HomedAccountReferences;
import org.epost.peer.lease.LeaseService;
import org.epost.peer.mail.LateBounceWiring;
import org.epost.peer.mail.PostApplication;
import org.epost.peer.mail.PostReadiness;
import org.epost.peer.mail.PostServices;
import org.epost.peer.metrics.RegistryMetricSink;
import org.epost.peer.overlay.OverlayService;
import org.epost.peer.glacier.GlacierApplication;
import org.epost.peer.overlay.PeerApplication;
import org.epost.peer.queue.PersistentMailQueueModule;
import org.epost.peer.spam.EpostSpamModule;
import org.epost.peer.webadmin.EpostAccountRoutes;
import org.epost.peer.webadmin.EpostCertificationRoutes;
import org.epost.peer.webadmin.EpostRehomeRoutes;
import org.epost.peer.webadmin.EpostRevocationRoutes;
import org.epost.peer.webadmin.EpostRingRoutes;
import org.epost.peer.webadmin.EpostStatusRoutes;
import org.epost.post.delivery.PostGateway;
import org.epost.post.delivery.PostSender;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import com.google.inject.name.Names;

/**
 * What ePOST changes in the stock memory server. Installed with {@code Modules.override}, so every binding here wins
 * over the memory app's: users and domains move to the peer's directory store on disk, the mail queue to James's
 * persistent ActiveMQ queue, and the ePOST WebAdmin routes and healthcheck are added.
 */
public class EpostModule extends AbstractModule {

    @Override
    protected void configure() {
        install(new PersistentMailQueueModule());
        install(new EpostInteropModule());
        install(new EpostSpamModule());
        // IMAP commands are framed by ePOST's decoder: James 3.8.1's loses commands pipelined after a literal.
        install(new EpostImapModule());

        bind(PeerDirectoryStore.class).in(Scopes.SINGLETON);

        bind(PersistentDomainList.class).in(Scopes.SINGLETON);
        bind(DomainList.class).to(PersistentDomainList.class);

        bind(PersistentUsersRepository.class).in(Scopes.SINGLETON);
        bind(UsersRepository.class).annotatedWith(Names.named(ProvisioningUsersRepository.DELEGATE))
            .to(PersistentUsersRepository.class);
        bind(ProvisioningUsersRepository.class).in(Scopes.SINGLETON);
        bind(UsersRepository.class).to(ProvisioningUsersRepository.class);
        // Users added on an ePOST domain get their POST account (keys, certificate, identity block).
        Multibinder.newSetBinder(binder(), UserLifecycleListener.class).addBinding().to(AccountProvisioner.class);

        bind(MetricSink.class).to(RegistryMetricSink.class);
        bind(OverlayService.class).in(Scopes.SINGLETON);
        // The applications the overlay service starts on its node once the node is up: POST, and its readiness.
        bind(PostReadiness.class).in(Scopes.SINGLETON);
        bind(PostApplication.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), PeerApplication.class).addBinding().to(PostApplication.class);
        // Mail refused by the recipient's peer after a delegated 250 is bounced to its sender.
        bind(LateBounceWiring.class).asEagerSingleton();
        bind(GlacierApplication.class).in(Scopes.SINGLETON);
        Multibinder.newSetBinder(binder(), PeerApplication.class).addBinding().to(GlacierApplication.class);
        // Lease-based GC: the blocks of users homed here and of registered components are refreshed until unused.
        bind(HomedAccountReferences.class).in(Scopes.SINGLETON);
        bind(LeaseService.class).in(Scopes.SINGLETON);

        Multibinder<Routes> routes = Multibinder.newSetBinder(binder(), Routes.class);
        routes.addBinding().to(EpostStatusRoutes.class);
        routes.addBinding().to(EpostRingRoutes.class);
        routes.addBinding().to(EpostAccountRoutes.class);
        routes.addBinding().to(EpostRehomeRoutes.class);
        routes.addBinding().to(EpostCertificationRoutes.class);
        routes.addBinding().to(EpostRevocationRoutes.class);
        // James's own Prometheus route over its Dropwizard registry, where ePOST reports (stock James ships it off).
        routes.addBinding().to(MetricsRoutes.class);
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(EpostHealthCheck.class);
    }

    @Provides
    @Singleton
    EpostConfiguration epostConfiguration(PropertiesProvider propertiesProvider, JamesDirectoriesProvider directories)
            throws ConfigurationException {
        Configuration properties;
        try {
            properties = propertiesProvider.getConfiguration(EpostConfiguration.FILE_NAME);
        } catch (FileNotFoundException e) {
            properties = new BaseConfiguration();
        }
        return EpostConfiguration.from(properties, Path.of(directories.getRootDirectory()), hostName());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "epost-peer";
        }
    }

    @Provides
    @Named(PeerDirectoryStore.LOCATION)
    Path directoryStoreLocation(EpostConfiguration configuration) {
        return configuration.dataDirectory().resolve("directory");
    }

    @ProvidesIntoSet
    InitializationOperation configureDomainList(DomainListConfiguration configuration, PersistentDomainList domainList) {
        return InitilizationOperationBuilder
            .forClass(PersistentDomainList.class)
            .init(() -> domainList.configure(configuration));
    }

    @ProvidesIntoSet
    InitializationOperation startOverlay(OverlayService overlay, LocalUsers localUsers) {
        return InitilizationOperationBuilder
            .forClass(OverlayService.class)
            .init(() -> {
                overlay.start();
                localUsers.serveAll();
            });
    }

    /**
     * How the ePOST SMTP hooks and mailets (loaded by James from its conf) reach this peer's POST sender: without
     * waiting (they answer "try later" themselves while POST starts).
     */
    @Provides
    @Singleton
    PostGateway postGateway(EpostConfiguration configuration, PostReadiness post, RouteStore routes,
                            LegacyRecipientVerifier legacyRecipients) {
        return new PostGateway() {
            @Override
            public boolean routedToLegacy(String address) {
                return routes.routeOf(address).isLegacy();
            }

            @Override
            public Optional<String> legacyRefusal(String address) {
                Route route = routes.routeOf(address);
                return route.isLegacy()
                    ? legacyRecipients.refusal(route, address).map(RelayReply::toString)
                    : Optional.empty();
            }

            @Override
            public boolean isEpostDomain(String domain) {
                return configuration.post().map(post -> post.isEpostDomain(domain)).orElse(false);
            }

            @Override
            public Optional<PostSender> sender() {
                return post.ifRunning().map(PostServices::sender);
            }

            @Override
            public int maxHeaderBytes() {
                return configuration.delivery().maxHeaderBytes();
            }

            @Override
            public boolean awaitsCertificate(String address) {
                return post.ifRunning().map(services -> services.awaitsCertificate(address)).orElse(false);
            }
        };
    }

    /** After the overlay (its node and POST) and the users repository (constructor parameters of LeaseService). */
    @ProvidesIntoSet
    InitializationOperation startLeases(LeaseService leases) {
        return InitilizationOperationBuilder
            .forClass(LeaseService.class)
            .init(leases::start);
    }

    /** After the leases: keeps the accounts of deleted users alive for their grace period, then gives them up. */
    @ProvidesIntoSet
    InitializationOperation startAccountGrace(AccountGrace grace) {
        return InitilizationOperationBuilder
            .forClass(AccountGrace.class)
            .init(grace::start);
    }

    @ProvidesIntoSet
    InitializationOperation configureUsersRepository(ConfigurationProvider configurationProvider,
                                                     PersistentUsersRepository usersRepository) {
        return InitilizationOperationBuilder
            .forClass(PersistentUsersRepository.class)
            .init(() -> usersRepository.configure(configurationProvider.getConfiguration("usersrepository")));
    }
}
