namespace Supervision.Domain.Audit;

/// <summary>
/// One entry of an engagement's audit trail: who (<see cref="Actor"/>) did what (<see cref="Action"/>, <see cref="Details"/>)
/// and when. <see cref="Hash"/> covers the entry and <see cref="PreviousHash"/>, so changing, removing or reordering any
/// entry breaks the chain from there on (<see cref="AuditChain.Verify"/>).
/// </summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    IReadOnlyDictionary<string, string> Details,
    string PreviousHash,
    string Hash);

/// <summary>The trail's head: how many entries it has and the hash of the last one. It moves with every append.</summary>
public sealed record AuditHead(long Sequence, string Hash);

/// <summary>A head as it stood at <see cref="AnchoredAt"/>, kept where the trail's own writers cannot change it.</summary>
public sealed record AuditAnchor(long Sequence, string Hash, DateTimeOffset AnchoredAt);

/// <summary>The outcome of <see cref="AuditChain.Verify"/>: intact, or the first sequence where the chain breaks and why.</summary>
public sealed record ChainVerification(bool IsIntact, int EntryCount, long? FirstBrokenSequence, string Reason, string? HeadHash)
{
    public static ChainVerification Intact(int entryCount, string? headHash) =>
        new(true, entryCount, null, entryCount == 0 ? "The trail is empty." : $"All {entryCount} entries link up to the head.", headHash);

    public static ChainVerification Broken(int entryCount, long sequence, string reason) => new(false, entryCount, sequence, reason, null);
}

/// <summary>Who acted, as the trail writes it.</summary>
public static class AuditActors
{
    /// <summary>The workflow itself, and anything else the system does on its own.</summary>
    public const string System = "system";

    public static string Staff(string name) => $"staff:{name}";

    public static string VendorLink(string linkId) => $"vendor-link:{linkId}";
}

/// <summary>The actions the trail records. Names are <c>subject.verb</c>, lower case, never reused for another meaning.</summary>
public static class AuditActions
{
    public const string EngagementStarted = "engagement.started";

    public const string StageChanged = "engagement.stage-changed";

    /// <summary>A staff user was made the engagement's supervisor, or another one took over, with the reason (1-6).</summary>
    public const string SupervisorAssigned = "engagement.supervisor-assigned";

    public const string RequestOpened = "request.opened";

    public const string RequestClosed = "request.closed";

    public const string RequestEscalated = "request.escalated";

    public const string RequestLinkIssued = "request.link-issued";

    public const string AnswersSubmitted = "answers.submitted";
    public const string AnswersRefusedLate = "answers.refused-late";

    public const string EvidenceAccepted = "evidence.accepted";

    public const string EvidenceRejected = "evidence.rejected";

    public const string MailSent = "mail.sent";

    public const string MailRejected = "mail.rejected";

    public const string SelectionScored = "selection.scored";

    public const string SelectionDecided = "selection.decided";

    public const string ContractTermsRecorded = "contract.terms-recorded";

    public const string ContractClauseConfirmed = "contract.clause-confirmed";

    public const string ContractSubmitted = "contract.submitted";

    public const string ContractCompleted = "contract.completed";
    /// <summary>Data handed over to the contractor, entered in the handover ledger (2-4).</summary>
    public const string HandoverRecorded = "handover.recorded";

    /// <summary>The receiver confirmed the handover as recorded.</summary>
    public const string HandoverAcknowledged = "handover.acknowledged";

    /// <summary>The receiver did not confirm the handover as recorded.</summary>
    public const string HandoverDisputed = "handover.disputed";

    /// <summary>Paper or media taken out by the contractor (7-3).</summary>
    public const string CheckoutRecorded = "checkout.recorded";

    public const string CheckoutReturned = "checkout.returned";

    /// <summary>A checked-out item is past its due date: the contractor was reminded.</summary>
    public const string CheckoutOverdue = "checkout.overdue";

    /// <summary>A checked-out item is still out after every reminder: escalated to the supervisors.</summary>
    public const string CheckoutEscalated = "checkout.escalated";

    public const string InspectionRecorded = "inspection.recorded";

    /// <summary>A finding of an inspection raised as a corrective action with its owner and due date.</summary>
    public const string CorrectiveActionRaised = "corrective-action.raised";

    public const string CorrectiveActionReminded = "corrective-action.reminded";

    public const string CorrectiveActionEscalated = "corrective-action.escalated";

    /// <summary>The contractor reported the correction done, with evidence, through the action's link; a supervisor closes it.</summary>
    public const string CorrectiveActionReported = "corrective-action.reported";

    /// <summary>A report of a correction refused with its reasons; the contractor is asked again.</summary>
    public const string CorrectiveActionReportRefused = "corrective-action.report-refused";

    public const string CorrectiveActionClosed = "corrective-action.closed";

    /// <summary>The contractor's attestation of its staff's confidentiality pledges (4-1 … 4-3), accepted.</summary>
    public const string PledgeAttested = "pledge.attested";

    /// <summary>An attestation refused with its reasons; the contractor is asked again.</summary>
    public const string PledgeRefused = "pledge.refused";

    public const string TrainingPlanAccepted = "training.plan-accepted";

    public const string TrainingPlanRefused = "training.plan-refused";

    /// <summary>A training result accepted (5-1).</summary>
    public const string TrainingReported = "training.reported";

    /// <summary>A training result refused with its reasons (a named roster without consent: 5-2); the contractor is asked again.</summary>
    public const string TrainingRefused = "training.refused";
    public const string ReportRequested = "report.requested";

    public const string ReportSubmitted = "report.submitted";

    public const string ReportAccepted = "report.accepted";

    public const string ReportSentBack = "report.sent-back";

    /// <summary>The daily sweep asked the contractor for evidence that a certificate nearing or past expiry is renewed (1-5).</summary>
    public const string CertificateRenewalRequested = "certificate.renewal-requested";

    /// <summary>The contractor reported the renewal filed, or renewed with its new expiry (which then replaces the certificate's).</summary>
    public const string CertificateRenewalEvidenced = "certificate.renewal-evidenced";

    /// <summary>The contractor's renewal answer could not stand (no filing date, a new expiry not after the old one); asked again.</summary>
    public const string CertificateRenewalRefused = "certificate.renewal-refused";

    /// <summary>The daily sweep found an engagement's workflow missing, failed or terminated and started it again.</summary>
    public const string EngagementWorkflowRestarted = "engagement.workflow-restarted";

    /// <summary>The daily sweep found an overdue checkout's chase missing, failed or terminated and started it again.</summary>
    public const string CheckoutWorkflowRestarted = "checkout.workflow-restarted";

    /// <summary>The daily sweep found an active engagement's report schedule failed or terminated and started it again.</summary>
    public const string ReportScheduleRestarted = "reports.workflow-restarted";

    /// <summary>
    /// The daily sweep found an active engagement's pledge or training workflow failed or terminated: a person must look,
    /// since starting it over would ask the contractor again for what it may have answered.
    /// </summary>
    public const string DutyWorkflowLost = "duty.workflow-lost";

    /// <summary>A subcontractor was requested (3-2) and entered the chain under the policy of the contract above it.</summary>
    public const string SubcontractRequested = "subcontract.requested";

    /// <summary>A request to subcontract was refused because the contract above prohibits subcontracting (3-1): only this is recorded.</summary>
    public const string SubcontractRefused = "subcontract.refused";

    /// <summary>A subcontractor's due diligence was scored against the criteria in force.</summary>
    public const string SubcontractScored = "subcontract.scored";

    /// <summary>A supervisor approved or rejected a subcontractor, with a reason.</summary>
    public const string SubcontractDecided = "subcontract.decided";

    /// <summary>A supervisor acknowledged a subcontract reported after the fact.</summary>
    public const string SubcontractAcknowledged = "subcontract.acknowledged";

    /// <summary>A supervisor was reminded of a subcontract awaiting their decision or acknowledgement.</summary>
    public const string SubcontractReminded = "subcontract.reminded";

    /// <summary>A subcontract still awaited a supervisor after every reminder.</summary>
    public const string SubcontractEscalated = "subcontract.escalated";

    /// <summary>A supervisor suspended or revoked a subcontractor's approval: its links stop, no data may reach it.</summary>
    public const string SubcontractSuspended = "subcontract.suspended";

    /// <summary>A link to request subcontractors was issued to a tier of the chain.</summary>
    public const string SubcontractLinkIssued = "subcontract.link-issued";

    /// <summary>An incident was reported (6-1): the principal learned of it, and the regulator's clock started.</summary>
    public const string IncidentReported = "incident.reported";

    /// <summary>The supervisors were told of an incident.</summary>
    public const string IncidentNotified = "incident.notified";

    /// <summary>A supervisor confirmed or overrode the rule's judgement of reportability, with a reason.</summary>
    public const string IncidentJudged = "incident.judged";

    /// <summary>A report owed was sent to the authority, with its evidence.</summary>
    public const string IncidentReportSent = "incident.report-sent";

    /// <summary>The supervisors were reminded of a report due, or (escalated) it is about to lapse.</summary>
    public const string IncidentReportReminded = "incident.report-reminded";

    public const string IncidentReportEscalated = "incident.report-escalated";

    /// <summary>A step of the response checklist was done, or recorded as not applicable with a reason.</summary>
    public const string IncidentStepRecorded = "incident.step-recorded";

    /// <summary>An incident was closed: every step done or not applicable, every report sent.</summary>
    public const string IncidentClosed = "incident.closed";

    /// <summary>A link to report incidents was issued to a tier.</summary>
    public const string IncidentLinkIssued = "incident.link-issued";

    /// <summary>A prevention check (7-4) was asked of the contractor, or answered (its findings, if any).</summary>
    public const string PreventionCheckRequested = "prevention.requested";

    public const string PreventionCheckAnswered = "prevention.answered";

    /// <summary>6-2: the one voice to the customer was decided (the other principals, who contacts, the contact point).</summary>
    public const string IncidentCoordinated = "incident.coordinated";

    /// <summary>7-1: the client whose data it is agreed to publication.</summary>
    public const string IncidentClientAgreed = "incident.client-agreed";

    /// <summary>The engagement's work ended (its planned end, or a supervisor's termination with a reason): every tier is asked to return or erase.</summary>
    public const string EngagementEnded = "engagement.ended";

    /// <summary>A tier certified the return or erasure of everything it held (2-4, 7-2).</summary>
    public const string ReturnCertified = "closing.certified";

    /// <summary>A tier's answer did not cover the ledger, or could not stand: refused with its reasons and asked again.</summary>
    public const string ReturnRefused = "closing.refused";

    /// <summary>2-4: the principal's staff witnessed a tier's erasure, recorded in place of its certificate of deletion.</summary>
    public const string ReturnWitnessed = "closing.witnessed";

    /// <summary>2-4: the principal acknowledged receiving what a tier returned.</summary>
    public const string ReturnReceiptAcknowledged = "closing.receipt-acknowledged";

    /// <summary>7-5: personal data a tier gathered was handed to the principal, under the recorded agreement and the people's consent.</summary>
    public const string ReverseHandoverRecorded = "closing.reverse-handover-recorded";

    /// <summary>The contractor was given notice, ahead of the planned end, of what it will owe back.</summary>
    public const string EndNoticeSent = "engagement.end-notice-sent";

    /// <summary>A supervisor closed the engagement: every tier certified, nothing out. Its links no longer work.</summary>
    public const string EngagementClosed = "engagement.closed";

    /// <summary>7-5: an item a tier may keep using after the end, with the basis of the people's consent.</summary>
    public const string KeptDataRecorded = "closing.kept-recorded";

    /// <summary>The auditors' bundle of an engagement's end was exported (who, how many files).</summary>
    public const string ClosureBundleExported = "closing.bundle-exported";

    /// <summary>The trail was exported as CSV (who, how many entries, the hash of the last one exported).</summary>
    public const string TrailExported = "audit.exported";

    /// <summary>The handover ledger was exported as CSV (who, how many handovers).</summary>
    public const string LedgerExported = "handover.ledger-exported";
}
