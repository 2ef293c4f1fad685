using System.Net.Mail;
using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Audit;
using Supervision.Closing;
using Supervision.Contracts;
using Supervision.Engagements;
using Supervision.Evidence;
using Supervision.Handovers;
using Supervision.Health;
using Supervision.Http;
using Supervision.Incidents;
using Supervision.Inspections;
using Supervision.Kernel;
using Supervision.Mail;
using Supervision.Pledges;
using Supervision.Portfolio;
using Supervision.Reports;
using Supervision.Security;
using Supervision.Selection;
using Supervision.Storage;
using Supervision.Subcontracts;
using Supervision.Sweep;
using Supervision.Training;
using Supervision.Vendors;

namespace Supervision.Hosting;

/// <summary>Everything both hosts register: the library's services and its durable tasks.</summary>
public static class SupervisionServices
{
    /// <summary>Every orchestrator the library runs; the durable name of each is its type name.</summary>
    public static IReadOnlyList<Type> Orchestrators { get; } =
    [
        typeof(EngagementWorkflow),
        typeof(HandoverWorkflow),
        typeof(CheckoutWorkflow),
        typeof(ReportingWorkflow),
        typeof(ReportPeriodWorkflow),
        typeof(CorrectiveActionWorkflow),
        typeof(PledgeWorkflow),
        typeof(TrainingWorkflow),
        typeof(CertificateRenewalWorkflow),
        typeof(SubcontractWorkflow),
        typeof(IncidentWorkflow),
        typeof(PreventionCheckWorkflow),
        typeof(ClosingWorkflow),
    ];

    /// <summary>Every activity the library runs; the durable name of each is its type name.</summary>
    public static IReadOnlyList<Type> Activities { get; } = [
        typeof(MoveEngagementStage),
        typeof(ReadEngagementProgress),
        typeof(SendMail),
        typeof(OpenDueDiligence),
        typeof(RemindChased),
        typeof(EscalateChased),
        typeof(ScoreDueDiligence),
        typeof(OpenContractRequest),
        typeof(RecordContractSubmission),
        typeof(CompleteContract),
        typeof(OpenHandoverAcknowledgement),
        typeof(RecordHandoverAcknowledgement),
        typeof(OpenCorrectiveActionRequest),
        typeof(RecordCorrectiveActionReport),
        typeof(StartPledges),
        typeof(OpenPledgeRequest),
        typeof(RecordPledgeAttestation),
        typeof(StartTraining),
        typeof(OpenTrainingPlanRequest),
        typeof(RecordTrainingPlan),
        typeof(OpenTrainingResultRequest),
        typeof(RecordTrainingResult),
        typeof(StartReporting),
        typeof(PlanReportPeriod),
        typeof(StartReportPeriod),
        typeof(OpenReportRequest),
        typeof(RecordReportSubmission),
        typeof(OpenCertificateRenewalRequest),
        typeof(RecordCertificateRenewal),
        typeof(OpenSubcontractorDueDiligence),
        typeof(ScoreSubcontractor),
        typeof(NotifyIncident),
        typeof(OpenPreventionCheck),
        typeof(RecordPreventionCheck),
        typeof(PlanReturns),
        typeof(OpenReturnRequest),
        typeof(RecordReturnCertificate),
    ];

    /// <summary>
    /// Registers the library. Each host adds where staff identity comes from (<see cref="IStaffIdentitySource"/>):
    /// App Service Authentication in the Functions app, the development sign-in in the local host.
    /// </summary>
    public static IServiceCollection AddSupervision(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddSingleton(provider => StorageClients.CreateTableService(provider.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(provider => StorageClients.CreateBlobService(provider.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton(provider => StorageClients.CreateUploadStorage(provider.GetRequiredService<IOptions<StorageOptions>>().Value, provider.GetRequiredService<BlobServiceClient>()));
        services.AddSingleton<LegacyTables>();
        services.AddSingleton<EngagementRegistry>();
        services.AddHostedService<StorageInitializer>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));

        services.AddOptions<StaffSignInOptions>().Bind(configuration.GetSection(StaffSignInOptions.Section));
        services.AddOptions<VendorLinkOptions>().Bind(configuration.GetSection(VendorLinkOptions.Section));
        services.AddOptions<EvidenceOptions>().Bind(configuration.GetSection(EvidenceOptions.Section));
        services.AddSingleton<LiquidPages>();
        services.AddSingleton<LinkSigner>();
        services.AddSingleton<VendorRequests>();
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<VendorEndpoints>();
        services.AddSingleton<VendorPages>();
        services.AddSingleton<StaffAccess>();
        services.AddSingleton<StaffCalls>();
        services.AddSingleton<EngagementStore>();
        services.AddSingleton<AuditHeads>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<PortfolioMarks>();
        services.AddSingleton<ITrailFollower>(provider => provider.GetRequiredService<PortfolioMarks>());
        services.AddSingleton<DecisionsWaiting>();
        services.AddSingleton<PortfolioPointers>();
        services.AddSingleton<PortfolioIndex>();
        services.AddSingleton<ITrailCatchUp>(provider => provider.GetRequiredService<PortfolioIndex>());
        services.AddHostedService<PortfolioRefresher>();
        services.AddSingleton<PortfolioEndpoints>();
        services.AddSingleton<PortfolioPages>();
        services.AddSingleton<EngagementPage>();
        services.AddSingleton<EngagementSections>();
        services.AddSingleton<StaffFormGuard>();
        services.AddSingleton<StaffForms>();
        services.AddSingleton<OnboardingPage>();
        services.AddSingleton<AuditAnchors>();
        services.AddSingleton<AuditEndpoints>();
        services.AddSingleton<EngagementWaits>();
        services.AddSingleton<EngagementEndpoints>();
        services.AddSingleton<SupervisorEndpoints>();
        services.AddSingleton<ContractEndpoints>();
        services.AddSingleton<CriteriaEndpoints>();
        services.AddSingleton<HandoverStore>();
        services.AddSingleton<LedgerGate>();
        services.AddSingleton<HandoverEndpoints>();
        services.AddSingleton<CheckoutEndpoints>();
        services.AddSingleton<LedgerCsv>();
        services.AddOptions<RequestOptions>().Bind(configuration.GetSection(RequestOptions.Section));
        services.AddSingleton<RequestMail>();
        services.AddSingleton<HealthEndpoints>();
        services.AddSingleton<OpenApiEndpoints>();
        services.AddSingleton<InspectionStore>();
        services.AddSingleton<InspectionEndpoints>();
        services.AddSingleton<CorrectiveActionEndpoints>();
        services.AddSingleton<ContractorDutyStore>();
        services.AddSingleton<PledgeEndpoints>();
        services.AddSingleton<TrainingEndpoints>();
        services.AddOptions<DutyOptions>(DutyOptions.PledgesSection).Bind(configuration.GetSection(DutyOptions.PledgesSection));
        services.AddOptions<DutyOptions>(DutyOptions.TrainingSection).Bind(configuration.GetSection(DutyOptions.TrainingSection));
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection(ReportOptions.Section));
        services.AddSingleton<ReportStore>();
        services.AddSingleton<ReportEndpoints>();
        services.AddOptions<SweepOptions>().Bind(configuration.GetSection(SweepOptions.Section)).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<SweepOptions>, SweepOptionsSetup>();
        services.AddSingleton<IValidateOptions<SweepOptions>, SweepOptionsSetup>();
        services.AddSingleton<RenewalSweep>();
        services.AddSingleton<EngagementSweep>();
        services.AddSingleton<CheckoutSweep>();
        services.AddSingleton<IncidentSweep>();
        services.AddSingleton<DailySweep>();
        services.AddSingleton<EventOutbox>();
        services.AddSingleton<ChaseSubjects>();
        services.AddChaseSubject<VendorRequestChase>();
        services.AddChaseSubject<CheckoutChase>();
        services.AddChaseSubject<CorrectiveActionChase>();
        services.AddChaseSubject<SubcontractDecisionChase>();
        services.AddOptions<SubcontractOptions>()
            .Bind(configuration.GetSection(SubcontractOptions.Section))
            .Validate(
                subcontracts => subcontracts.MaxDepth >= 1 && subcontracts.DecideWithin > TimeSpan.Zero && subcontracts.MaxSignedCopyBytes > 0,
                $"{SubcontractOptions.Section}: MaxDepth must be at least 1, DecideWithin and MaxSignedCopyBytes positive.")
            .ValidateOnStart();
        services.AddSingleton<TierStore>();
        services.AddSingleton<Subcontracting>();
        services.AddSingleton<StandingLinks>();
        services.AddSingleton<SubcontractLinks>();
        services.AddSingleton<SubcontractEndpoints>();
        services.AddSingleton<ChainEndpoints>();
        services.AddSingleton<SubcontractRequestPage>();
        services.AddSingleton<IRequestPage>(provider => provider.GetRequiredService<SubcontractRequestPage>());
        services.AddChaseSubject<IncidentReportChase>();
        services.AddOptions<IncidentOptions>()
            .Bind(configuration.GetSection(IncidentOptions.Section))
            .Validate(
                incidents => incidents.PreliminaryWithinDays >= 1 && incidents.ReminderInterval > TimeSpan.Zero && incidents.ReminderLead >= TimeSpan.Zero && incidents.MaxReminders >= 0,
                $"{IncidentOptions.Section}: PreliminaryWithinDays must be at least 1, ReminderInterval positive, ReminderLead and MaxReminders not negative.")
            .ValidateOnStart();
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<IncidentIntake>();
        services.AddSingleton<IncidentChanges>();
        services.AddSingleton<IFindingRaiser, ReviewFindings>();
        services.AddSingleton<IncidentEndpoints>();
        services.AddSingleton<IncidentResponseEndpoints>();
        services.AddSingleton<IncidentReportPage>();
        services.AddSingleton<PreventionCheckEndpoints>();
        services.AddOptions<ClosingOptions>()
            .Bind(configuration.GetSection(ClosingOptions.Section))
            .Validate(
                closing => closing.NoticeDays >= 0 && closing.RetentionYears >= 1,
                $"{ClosingOptions.Section}: NoticeDays must not be negative, RetentionYears at least 1.")
            .ValidateOnStart();
        services.AddSingleton<ClosingStore>();
        services.AddSingleton<EngagementEnding>();
        services.AddSingleton<ClosingEndpoints>();
        services.AddSingleton<PrincipalReturnEndpoints>();
        services.AddSingleton<ClosureBundle>();
        services.AddSingleton<ITierReturns, TierReturns>();
        services.AddSingleton<IDutyWorkflows, DutiesAtTheEnd>();
        services.AddSingleton<IRequestPage>(provider => provider.GetRequiredService<IncidentReportPage>());
        AddMail(services, configuration);

        foreach (Type task in Orchestrators.Concat(Activities))
            services.AddTransient(task);
        return services;
    }

    /// <summary>
    /// Mail: through SendGrid when <c>Supervision:Mail:SendGridApiKey</c> is set and not empty, else into the local
    /// outbox; the <see cref="Mailer"/> in front of either records every idempotency key before sending.
    /// </summary>
    private static void AddMail(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>()
            .Bind(configuration.GetSection(MailOptions.Section))
            .Validate(mail => MailAddress.TryCreate(mail.From, out _), $"{MailOptions.Section}:From must be a mail address.")
            .ValidateOnStart();
        SendGridTransport.AddSendGridHttpClient(services);
        services.AddSingleton<MailTemplates>();
        services.AddSingleton<MailLogStore>();
        services.AddSingleton<SendGridTransport>();
        services.AddSingleton<OutboxTransport>();
        services.AddSingleton<IMailTransport>(provider =>
        {
            MailOptions mail = provider.GetRequiredService<IOptions<MailOptions>>().Value;
            ILogger logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Mailer).Namespace!);
            if (mail.UsesSendGrid)
            {
                logger.LogInformation("Mail goes through SendGrid");
                return provider.GetRequiredService<SendGridTransport>();
            }

            logger.LogInformation("Mail goes to the outbox {OutboxDirectory}: no SendGrid key is configured", mail.OutboxPath);
            return provider.GetRequiredService<OutboxTransport>();
        });
        services.AddSingleton<Mailer>();
    }

    public static DurableTaskRegistry AddSupervisionTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (Type orchestrator in Orchestrators)
            registry.AddOrchestrator(orchestrator);
        foreach (Type activity in Activities)
            registry.AddActivity(activity);
        return registry;
    }
}
