using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Supervision.Audit;
using Supervision.Closing;
using Supervision.Contracts;
using Supervision.Engagements;
using Supervision.Handovers;
using Supervision.Health;
using Supervision.Http;
using Supervision.Incidents;
using Supervision.Inspections;
using Supervision.Pledges;
using Supervision.Portfolio;
using Supervision.Reports;
using Supervision.Selection;
using Supervision.Subcontracts;
using Supervision.Training;
using Supervision.Vendors;

namespace Supervision.Hosting;

/// <summary>
/// The HTTP API (under <c>/api</c>) and the vendor pages (under <c>/vendor</c>) as ASP.NET Core endpoints, for the
/// local host. Route constants carry the whole path, and host.json's route prefix is empty, so both hosts serve the
/// same URLs. The Functions app binds the same handlers one
/// <c>[Function]</c> each; a test holds the two route tables equal.
/// </summary>
public static class SupervisionApi
{
    public static IEndpointRouteBuilder MapSupervisionApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/" + EngagementEndpoints.CollectionRoute, (HttpRequest request, DurableTaskClient durable, EngagementEndpoints handler, CancellationToken cancellationToken)
            => handler.StartAsync(request, durable, cancellationToken))
            .WithName("StartEngagement");
        endpoints.MapGet("/" + EngagementEndpoints.ItemRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, EngagementEndpoints handler, CancellationToken cancellationToken)
            => handler.GetAsync(request, engagementId, durable, cancellationToken))
            .WithName("GetEngagement");
        endpoints.MapPost("/" + EngagementEndpoints.DecisionRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, EngagementEndpoints handler, CancellationToken cancellationToken)
            => handler.DecideAsync(request, engagementId, durable, cancellationToken))
            .WithName("DecideSelection");
        endpoints.MapPut("/" + SupervisorEndpoints.Route, (HttpRequest request, string engagementId, DurableTaskClient durable, SupervisorEndpoints handler, CancellationToken cancellationToken)
            => handler.AssignAsync(request, engagementId, durable, cancellationToken))
            .WithName("AssignSupervisor");
        endpoints.MapPut("/" + ContractEndpoints.TermsRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, ContractEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordTermsAsync(request, engagementId, durable, cancellationToken))
            .WithName("RecordContractTerms");
        endpoints.MapPost("/" + ContractEndpoints.ClauseRoute, (HttpRequest request, string engagementId, string clause, DurableTaskClient durable, ContractEndpoints handler, CancellationToken cancellationToken)
            => handler.ConfirmClauseAsync(request, engagementId, clause, durable, cancellationToken))
            .WithName("ConfirmContractClause");
        endpoints.MapPost("/" + HandoverEndpoints.HandoversRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, HandoverEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordHandoverAsync(request, engagementId, durable, cancellationToken))
            .WithName("RecordHandover");
        endpoints.MapGet("/" + HandoverEndpoints.HandoversRoute, (HttpRequest request, string engagementId, HandoverEndpoints handler, CancellationToken cancellationToken)
            => handler.ListHandoversAsync(request, engagementId, cancellationToken))
            .WithName("ListHandovers");
        endpoints.MapGet("/" + LedgerCsv.Route, (HttpRequest request, string engagementId, LedgerCsv handler, CancellationToken cancellationToken)
            => handler.GetAsync(request, engagementId, cancellationToken))
            .WithName("ExportHandoversCsv");
        endpoints.MapPost("/" + CheckoutEndpoints.CheckoutsRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, CheckoutEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordCheckoutAsync(request, engagementId, durable, cancellationToken))
            .WithName("RecordCheckout");
        endpoints.MapGet("/" + CheckoutEndpoints.CheckoutsRoute, (HttpRequest request, string engagementId, CheckoutEndpoints handler, CancellationToken cancellationToken)
            => handler.ListCheckoutsAsync(request, engagementId, cancellationToken))
            .WithName("ListCheckouts");
        endpoints.MapPost("/" + CheckoutEndpoints.ReturnRoute, (HttpRequest request, string engagementId, string checkoutId, DurableTaskClient durable, CheckoutEndpoints handler, CancellationToken cancellationToken)
            => handler.ReturnCheckoutAsync(request, engagementId, checkoutId, durable, cancellationToken))
            .WithName("ReturnCheckout");
        endpoints.MapGet("/" + CriteriaEndpoints.Route, (HttpRequest request, CriteriaEndpoints handler) => handler.Get(request))
            .WithName("GetSelectionCriteria");
        endpoints.MapPost("/" + InspectionEndpoints.CollectionRoute, (HttpRequest request, string engagementId, InspectionEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordAsync(request, engagementId, cancellationToken))
            .WithName("RecordInspection");
        endpoints.MapGet("/" + InspectionEndpoints.CollectionRoute, (HttpRequest request, string engagementId, InspectionEndpoints handler, CancellationToken cancellationToken)
            => handler.ListAsync(request, engagementId, cancellationToken))
            .WithName("ListInspections");
        endpoints.MapPost("/" + InspectionEndpoints.FindingsRoute, (HttpRequest request, string engagementId, string inspectionId, DurableTaskClient durable, InspectionEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordFindingsAsync(request, engagementId, inspectionId, durable, cancellationToken))
            .WithName("RecordInspectionFindings");
        endpoints.MapPost("/" + CorrectiveActionEndpoints.ClosureRoute, (HttpRequest request, string engagementId, string inspectionId, string actionId, DurableTaskClient durable, CorrectiveActionEndpoints handler, CancellationToken cancellationToken)
            => handler.CloseAsync(request, engagementId, inspectionId, actionId, durable, cancellationToken))
            .WithName("CloseCorrectiveAction");
        endpoints.MapGet("/" + PledgeEndpoints.Route, (HttpRequest request, string engagementId, DurableTaskClient durable, PledgeEndpoints handler, CancellationToken cancellationToken)
            => handler.ListAsync(request, engagementId, durable, cancellationToken))
            .WithName("ListPledges");
        endpoints.MapGet("/" + TrainingEndpoints.Route, (HttpRequest request, string engagementId, DurableTaskClient durable, TrainingEndpoints handler, CancellationToken cancellationToken)
            => handler.ListAsync(request, engagementId, durable, cancellationToken))
            .WithName("ListTraining");
        endpoints.MapGet("/" + AuditEndpoints.ListRoute, (HttpRequest request, string engagementId, AuditEndpoints handler, CancellationToken cancellationToken)
            => handler.ListAsync(request, engagementId, cancellationToken))
            .WithName("ListAudit");
        endpoints.MapGet("/" + AuditEndpoints.VerificationRoute, (HttpRequest request, string engagementId, AuditEndpoints handler, CancellationToken cancellationToken)
            => handler.VerifyAsync(request, engagementId, cancellationToken))
            .WithName("VerifyAudit");
        endpoints.MapGet("/" + AuditEndpoints.CsvRoute, (HttpRequest request, string engagementId, AuditEndpoints handler, CancellationToken cancellationToken)
            => handler.ExportCsvAsync(request, engagementId, cancellationToken))
            .WithName("ExportAuditCsv");
        endpoints.MapGet("/" + ReportEndpoints.ListRoute, (HttpRequest request, string engagementId, ReportEndpoints handler, CancellationToken cancellationToken)
            => handler.ListAsync(request, engagementId, cancellationToken))
            .WithName("ListReports");
        endpoints.MapPost("/" + ReportEndpoints.ReviewRoute, (HttpRequest request, string engagementId, string period, DurableTaskClient durable, ReportEndpoints handler, CancellationToken cancellationToken)
            => handler.ReviewAsync(request, engagementId, period, durable, cancellationToken))
            .WithName("ReviewReport");
        endpoints.MapGet("/" + HealthEndpoints.Route, (DurableTaskClient durable, HealthEndpoints handler, CancellationToken cancellationToken)
            => handler.GetAsync(durable, cancellationToken))
            .WithName("Health");
        endpoints.MapGet("/" + OpenApiEndpoints.Route, (OpenApiEndpoints handler) => handler.Get())
            .WithName("OpenApi");
        endpoints.MapGet("/" + VendorPages.PageRoute, (HttpRequest request, string token, VendorPages handler, CancellationToken cancellationToken)
            => handler.PageAsync(request, token, cancellationToken))
            .WithName("VendorPage");
        endpoints.MapGet("/" + VendorPages.OpenRequestsRoute, (HttpRequest request, string token, VendorPages handler, CancellationToken cancellationToken)
            => handler.OpenRequestsPageAsync(request, token, cancellationToken))
            .WithName("VendorOpenRequests");
        endpoints.MapPost("/" + VendorEndpoints.AnswersRoute, (HttpRequest request, string token, VendorEndpoints handler, CancellationToken cancellationToken)
            => handler.AnswerAsync(request, token, cancellationToken))
            .WithName("VendorAnswers");
        endpoints.MapPost("/" + VendorEndpoints.UploadsRoute, (HttpRequest request, string token, VendorEndpoints handler, CancellationToken cancellationToken)
            => handler.BeginUploadAsync(request, token, cancellationToken))
            .WithName("VendorBeginUpload");
        endpoints.MapPost("/" + VendorEndpoints.CompleteUploadRoute, (HttpRequest request, string token, string evidenceId, VendorEndpoints handler, CancellationToken cancellationToken)
            => handler.CompleteUploadAsync(request, token, evidenceId, cancellationToken))
            .WithName("VendorCompleteUpload");
        endpoints.MapPost("/" + VendorEndpoints.SubmitRoute, (HttpRequest request, string token, DurableTaskClient durable, VendorEndpoints handler, CancellationToken cancellationToken)
            => handler.SubmitAsync(request, token, durable, cancellationToken))
            .WithName("VendorSubmit");
        endpoints.MapPost("/" + SubcontractEndpoints.CollectionRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, SubcontractEndpoints handler, CancellationToken cancellationToken)
            => handler.RequestAsync(request, engagementId, durable, cancellationToken))
            .WithName("RequestSubcontract");
        endpoints.MapGet("/" + ChainEndpoints.ChainRoute, (HttpRequest request, string engagementId, ChainEndpoints handler, CancellationToken cancellationToken)
            => handler.ChainAsync(request, engagementId, cancellationToken))
            .WithName("GetChain");
        endpoints.MapGet("/" + ChainEndpoints.ChainPageRoute, (HttpRequest request, string engagementId, ChainEndpoints handler, CancellationToken cancellationToken)
            => handler.ChainPageAsync(request, engagementId, cancellationToken))
            .WithName("GetChainPage");
        endpoints.MapPost("/" + SubcontractEndpoints.DecisionRoute, (HttpRequest request, string engagementId, string tierId, DurableTaskClient durable, SubcontractEndpoints handler, CancellationToken cancellationToken)
            => handler.DecideAsync(request, engagementId, tierId, durable, cancellationToken))
            .WithName("DecideSubcontract");
        endpoints.MapPost("/" + SubcontractEndpoints.AcknowledgementRoute, (HttpRequest request, string engagementId, string tierId, DurableTaskClient durable, SubcontractEndpoints handler, CancellationToken cancellationToken)
            => handler.AcknowledgeAsync(request, engagementId, tierId, durable, cancellationToken))
            .WithName("AcknowledgeSubcontract");
        endpoints.MapPost("/" + SubcontractEndpoints.SuspensionRoute, (HttpRequest request, string engagementId, string tierId, DurableTaskClient durable, SubcontractEndpoints handler, CancellationToken cancellationToken)
            => handler.SuspendAsync(request, engagementId, tierId, durable, cancellationToken))
            .WithName("SuspendSubcontract");
        endpoints.MapPost("/" + SubcontractEndpoints.LinksRoute, (HttpRequest request, string engagementId, SubcontractEndpoints handler, CancellationToken cancellationToken)
            => handler.IssueLinkAsync(request, engagementId, cancellationToken))
            .WithName("IssueSubcontractLink");
        endpoints.MapPost("/" + SubcontractRequestPage.SubmitRoute, (HttpRequest request, string token, DurableTaskClient durable, SubcontractRequestPage handler, CancellationToken cancellationToken)
            => handler.SubmitAsync(request, token, durable, cancellationToken))
            .WithName("VendorRequestSubcontract");
        endpoints.MapPost("/" + IncidentEndpoints.CollectionRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, IncidentEndpoints handler, CancellationToken cancellationToken)
            => handler.ReportAsync(request, engagementId, durable, cancellationToken))
            .WithName("ReportIncident");
        endpoints.MapGet("/" + IncidentEndpoints.CollectionRoute, (HttpRequest request, string engagementId, IncidentEndpoints handler, CancellationToken cancellationToken)
            => handler.ListAsync(request, engagementId, cancellationToken))
            .WithName("ListIncidents");
        endpoints.MapGet("/" + IncidentEndpoints.ItemRoute, (HttpRequest request, string engagementId, string incidentId, IncidentEndpoints handler, CancellationToken cancellationToken)
            => handler.GetAsync(request, engagementId, incidentId, cancellationToken))
            .WithName("GetIncident");
        endpoints.MapGet("/" + IncidentEndpoints.OpenRoute, (HttpRequest request, IncidentEndpoints handler, CancellationToken cancellationToken)
            => handler.ListAllAsync(request, cancellationToken))
            .WithName("ListAllIncidents");
        endpoints.MapPost("/" + IncidentEndpoints.JudgementRoute, (HttpRequest request, string engagementId, string incidentId, DurableTaskClient durable, IncidentEndpoints handler, CancellationToken cancellationToken)
            => handler.JudgeAsync(request, engagementId, incidentId, durable, cancellationToken))
            .WithName("JudgeIncident");
        endpoints.MapPost("/" + IncidentEndpoints.ReportRoute, (HttpRequest request, string engagementId, string incidentId, string kind, DurableTaskClient durable, IncidentEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordReportAsync(request, engagementId, incidentId, kind, durable, cancellationToken))
            .WithName("RecordIncidentReport");
        endpoints.MapPost("/" + IncidentResponseEndpoints.StepRoute, (HttpRequest request, string engagementId, string incidentId, string step, DurableTaskClient durable, IncidentResponseEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordStepAsync(request, engagementId, incidentId, step, durable, cancellationToken))
            .WithName("RecordIncidentStep");
        endpoints.MapPost("/" + IncidentResponseEndpoints.ClosureRoute, (HttpRequest request, string engagementId, string incidentId, DurableTaskClient durable, IncidentResponseEndpoints handler, CancellationToken cancellationToken)
            => handler.CloseAsync(request, engagementId, incidentId, durable, cancellationToken))
            .WithName("CloseIncident");
        endpoints.MapPost("/" + IncidentResponseEndpoints.CoordinationRoute, (HttpRequest request, string engagementId, string incidentId, DurableTaskClient durable, IncidentResponseEndpoints handler, CancellationToken cancellationToken)
            => handler.CoordinateAsync(request, engagementId, incidentId, durable, cancellationToken))
            .WithName("CoordinateIncident");
        endpoints.MapPost("/" + IncidentResponseEndpoints.ClientAgreementRoute, (HttpRequest request, string engagementId, string incidentId, DurableTaskClient durable, IncidentResponseEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordClientAgreementAsync(request, engagementId, incidentId, durable, cancellationToken))
            .WithName("RecordIncidentClientAgreement");
        endpoints.MapPost("/" + IncidentEndpoints.LinksRoute, (HttpRequest request, string engagementId, IncidentEndpoints handler, CancellationToken cancellationToken)
            => handler.IssueLinkAsync(request, engagementId, cancellationToken))
            .WithName("IssueIncidentLink");
        endpoints.MapPost("/" + IncidentReportPage.SubmitRoute, (HttpRequest request, string token, DurableTaskClient durable, IncidentReportPage handler, CancellationToken cancellationToken)
            => handler.SubmitAsync(request, token, durable, cancellationToken))
            .WithName("VendorReportIncident");
        endpoints.MapPost("/" + PreventionCheckEndpoints.Route, (HttpRequest request, string engagementId, DurableTaskClient durable, PreventionCheckEndpoints handler, CancellationToken cancellationToken)
            => handler.RequestAsync(request, engagementId, durable, cancellationToken))
            .WithName("RequestPreventionCheck");
        endpoints.MapPost("/" + ClosingEndpoints.TerminationRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, ClosingEndpoints handler, CancellationToken cancellationToken)
            => handler.TerminateAsync(request, engagementId, durable, cancellationToken))
            .WithName("TerminateEngagement");
        endpoints.MapGet("/" + ClosingEndpoints.ClosureRoute, (HttpRequest request, string engagementId, ClosingEndpoints handler, CancellationToken cancellationToken)
            => handler.GetAsync(request, engagementId, cancellationToken))
            .WithName("GetClosure");
        endpoints.MapPost("/" + ClosingEndpoints.ClosureRoute, (HttpRequest request, string engagementId, ClosingEndpoints handler, CancellationToken cancellationToken)
            => handler.CloseAsync(request, engagementId, cancellationToken))
            .WithName("CloseEngagement");
        endpoints.MapPost("/" + ClosingEndpoints.KeptDataRoute, (HttpRequest request, string engagementId, ClosingEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordKeptAsync(request, engagementId, cancellationToken))
            .WithName("RecordKeptData");
        endpoints.MapGet("/" + ClosureBundle.Route, (HttpRequest request, string engagementId, ClosureBundle handler, CancellationToken cancellationToken)
            => handler.GetAsync(request, engagementId, cancellationToken))
            .WithName("GetClosureBundle");
        endpoints.MapPost("/" + PrincipalReturnEndpoints.ReceiptsRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, PrincipalReturnEndpoints handler, CancellationToken cancellationToken)
            => handler.AcknowledgeReceiptAsync(request, engagementId, durable, cancellationToken))
            .WithName("AcknowledgeReturnReceipt");
        endpoints.MapPost("/" + PrincipalReturnEndpoints.WitnessedErasuresRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, PrincipalReturnEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordWitnessedErasureAsync(request, engagementId, durable, cancellationToken))
            .WithName("RecordWitnessedErasure");
        endpoints.MapPost("/" + PrincipalReturnEndpoints.ReverseHandoversRoute, (HttpRequest request, string engagementId, DurableTaskClient durable, PrincipalReturnEndpoints handler, CancellationToken cancellationToken)
            => handler.RecordReverseHandoverAsync(request, engagementId, durable, cancellationToken))
            .WithName("RecordReverseHandover");
        endpoints.MapGet("/" + PortfolioEndpoints.Route, (HttpRequest request, PortfolioEndpoints handler, CancellationToken cancellationToken)
            => handler.ListAsync(request, cancellationToken))
            .WithName("ListPortfolio");
        endpoints.MapGet("/" + PortfolioEndpoints.MyWorkRoute, (HttpRequest request, PortfolioEndpoints handler, CancellationToken cancellationToken)
            => handler.MyWorkAsync(request, cancellationToken))
            .WithName("ListMyWork");
        endpoints.MapGet("/" + PortfolioEndpoints.CsvRoute, (HttpRequest request, PortfolioEndpoints handler, CancellationToken cancellationToken)
            => handler.ExportAsync(request, cancellationToken))
            .WithName("ExportPortfolioCsv");
        endpoints.MapGet("/" + PortfolioPages.PortfolioRoute, (HttpRequest request, PortfolioPages handler, CancellationToken cancellationToken)
            => handler.PortfolioAsync(request, cancellationToken))
            .WithName("GetPortfolioPage");
        endpoints.MapGet("/" + PortfolioPages.MyWorkRoute, (HttpRequest request, PortfolioPages handler, CancellationToken cancellationToken)
            => handler.MyWorkAsync(request, cancellationToken))
            .WithName("GetMyWorkPage");
        endpoints.MapGet("/" + EngagementPage.Route, (HttpRequest request, string engagementId, EngagementPage handler, CancellationToken cancellationToken)
            => handler.GetAsync(request, engagementId, cancellationToken))
            .WithName("GetEngagementPage");
        endpoints.MapPost("/" + StaffForms.Route, (HttpRequest request, string engagementId, string form, DurableTaskClient durable, StaffForms handler, CancellationToken cancellationToken)
            => handler.PostAsync(request, engagementId, form, durable, cancellationToken))
            .WithName("PostEngagementForm");
        endpoints.MapGet("/" + OnboardingPage.Route, (HttpRequest request, OnboardingPage handler, CancellationToken cancellationToken)
            => handler.GetAsync(request, cancellationToken))
            .WithName("GetOnboardingPage");
        endpoints.MapPost("/" + OnboardingPage.Route, (HttpRequest request, DurableTaskClient durable, OnboardingPage handler, CancellationToken cancellationToken)
            => handler.PostAsync(request, durable, cancellationToken))
            .WithName("PostOnboardingForm");
        return endpoints;
    }
}
