using Supervision.Domain.Common;
using Supervision.Domain.Contracts;
using Supervision.Domain.Engagements;
using Supervision.Domain.Evidence;

namespace Supervision.Domain.Subcontracts;

/// <summary>
/// A request to subcontract as a client sent it (the contractor through its link, or staff on its behalf): every member
/// may be missing. <see cref="SubcontractApplications.Read"/> names every bad field or gives the typed application.
/// </summary>
public sealed record SubcontractDraft
{
    /// <summary>The tier that subcontracts: <c>contractor</c> (the default) or a subcontractor's tier id.</summary>
    public string? ParentTier { get; init; }

    public SubcontractorDraft? Subcontractor { get; init; }

    public string? Work { get; init; }

    public IReadOnlyList<string?>? DataItems { get; init; }

    public string? WorkSite { get; init; }

    public DateOnly? PlannedStart { get; init; }

    public DateOnly? PlannedEnd { get; init; }

    public IReadOnlyList<ContractClause>? ClausesPassedOn { get; init; }

    public SubcontractPolicy? PolicyForTheSubcontractor { get; init; }

    public bool? AttestsCriteriaMet { get; init; }

    public WorkStatementDraft? WorkStatement { get; init; }

    /// <summary>The signed subcontract, sent with the request (3-2: the obligations passed on, in writing).</summary>
    public InlineFileDraft? SignedSubcontract { get; init; }
}

public sealed record SubcontractorDraft
{
    public string? Name { get; init; }

    public string? CorporateNumber { get; init; }

    public ContactDraft? Contact { get; init; }
}

/// <summary>Who the subcontractor is and whom its links go to.</summary>
public sealed record Subcontractor(string Name, string? CorporateNumber, ContactPerson Contact);

/// <summary>A request that is well formed: whether the chain may take it is <see cref="SubcontractRules.Decide"/>'s question.</summary>
public sealed record SubcontractApplication(Subcontractor Subcontractor, SubcontractRequest Request, WorkStatement WorkStatement);

public static class SubcontractApplications
{
    public const int MaxItems = 100;

    /// <summary>Reads a draft; <paramref name="signedSubcontractUploaded"/> says whether its signed copy came with it.</summary>
    public static ValidationErrors Read(SubcontractDraft draft, bool signedSubcontractUploaded, out SubcontractApplication? application)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new ValidationErrors();
        SubcontractorDraft? who = draft.Subcontractor;
        errors.RequiredLine("subcontractor.name", who?.Name, SubcontractRules.MaxNameLength);
        string? corporateNumber = string.IsNullOrWhiteSpace(who?.CorporateNumber) ? null : who.CorporateNumber.Trim();
        if (corporateNumber is not null && !CorporateNumber.IsValid(corporateNumber))
            errors.Add("subcontractor.corporateNumber", "must be a 13-digit corporate number (法人番号) with a valid check digit.");
        errors.RequiredLine("subcontractor.contact.name", who?.Contact?.Name, SubcontractRules.MaxNameLength);
        string? email = who?.Contact?.Email?.Trim();
        errors.RequiredLine("subcontractor.contact.email", email, Mailbox.MaxLength);
        if (!string.IsNullOrEmpty(email) && email.Length <= Mailbox.MaxLength && !Mailbox.IsValid(email))
            errors.Add("subcontractor.contact.email", "must be a single e-mail address.");
        if (!Languages.TryParse(who?.Contact?.PreferredLanguage, out Language language))
            errors.Add("subcontractor.contact.preferredLanguage", "must be \"ja\" or \"en\".");

        errors.Required("work", draft.Work, SubcontractRules.MaxTextLength);
        errors.RequiredLine("workSite", draft.WorkSite, SubcontractRules.MaxNameLength);
        if (draft.DataItems is not { Count: > 0 })
            errors.Add("dataItems", "must name the data items the subcontractor will receive.");
        else if (draft.DataItems.Count > MaxItems)
            errors.Add("dataItems", $"must list at most {MaxItems} items.");
        else
        {
            for (int i = 0; i < draft.DataItems.Count; i++)
                errors.RequiredLine($"dataItems[{i}]", draft.DataItems[i], HandoverEntryRules.MaxItemLength);
        }

        if (draft.PlannedStart is null)
            errors.Add("plannedStart", "is required (yyyy-MM-dd).");
        if (draft.PlannedEnd is null)
            errors.Add("plannedEnd", "is required (yyyy-MM-dd).");
        if (draft.ClausesPassedOn is null)
            errors.Add("clausesPassedOn", "is required: the clauses of the contract the subcontract passes on (3-2: all of them).");
        if (draft.PolicyForTheSubcontractor is null)
            errors.Add("policyForTheSubcontractor", "is required: the subcontracting policy the subcontract sets for the subcontractor.");
        WorkStatement? statement = WorkStatementRules.Read(draft.WorkStatement, "workStatement", errors);

        application = errors.IsEmpty
            ? new SubcontractApplication(
                new Subcontractor(who!.Name!.Trim(), corporateNumber, new ContactPerson(who.Contact!.Name!.Trim(), email!, language)),
                new SubcontractRequest(
                    who.Name.Trim(),
                    draft.Work!.Trim(),
                    [.. draft.DataItems!.Select(item => item!.Trim()).Distinct(StringComparer.Ordinal)],
                    draft.WorkSite!.Trim(),
                    draft.PlannedStart!.Value,
                    draft.PlannedEnd!.Value,
                    draft.ClausesPassedOn!.ToHashSet(),
                    signedSubcontractUploaded,
                    draft.PolicyForTheSubcontractor!.Value,
                    draft.AttestsCriteriaMet ?? false),
                statement!)
            : null;
        return errors;
    }
}
