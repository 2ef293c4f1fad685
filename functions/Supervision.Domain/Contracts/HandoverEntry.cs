using Supervision.Domain.Common;

namespace Supervision.Domain.Contracts;

/// <summary>What carries the data from the principal to the contractor.</summary>
public enum HandoverMedium
{
    Paper,
    RemovableMedia,
    OnlineTransfer,
}

/// <summary>
/// One line of the handover ledger both sides keep (2-4: 双方で管理簿を作成し、授受の確認): what was handed over, how
/// many records, on what and how, by whom to whom, and when. Members are nullable so a missing one is named, not defaulted.
/// </summary>
public sealed record HandoverEntry
{
    public IReadOnlyList<string>? DataItems { get; init; }

    public int? RecordCount { get; init; }

    public HandoverMedium? Medium { get; init; }

    public TransferMethod? TransferMethod { get; init; }

    public string? SenderName { get; init; }

    public string? ReceiverName { get; init; }

    public string? ReceiverEmail { get; init; }

    public DateOnly? HandedOverOn { get; init; }

    /// <summary>The subcontractor tier receiving it down the chain (3-2); none when the principal hands it to the contractor.</summary>
    public string? ToTier { get; init; }
}

public static class HandoverEntryRules
{
    public const int MaxNameLength = 200;
    public const int MaxEmailLength = 254;
    public const int MaxItems = 100;
    public const int MaxItemLength = 200;

    /// <summary>
    /// Every field present; at least one record; not dated in the future; and only what the contract agreed (2-4): its data
    /// items — the ones that are not are named — and its transfer method.
    /// </summary>
    public static ValidationErrors Validate(HandoverEntry entry, HandoverTerms contractTerms, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(contractTerms);
        var errors = new ValidationErrors();

        ValidateItems(entry.DataItems, contractTerms.DataItems, errors);

        if (entry.RecordCount is null)
            errors.Add("recordCount", "is required.");
        else if (entry.RecordCount < 1)
            errors.Add("recordCount", "must be at least 1.");

        if (entry.Medium is null)
            errors.Add("medium", "is required: paper, removableMedia or onlineTransfer.");

        if (entry.TransferMethod is null)
            errors.Add("transferMethod", "is required.");
        else if (entry.TransferMethod != contractTerms.TransferMethod)
            errors.Add("transferMethod", $"must be the method the contract agreed (2-4): {contractTerms.TransferMethod?.ToString() ?? "none agreed"}.");

        errors.RequiredLine("senderName", entry.SenderName, MaxNameLength);
        errors.RequiredLine("receiverName", entry.ReceiverName, MaxNameLength);
        string? email = entry.ReceiverEmail?.Trim();
        errors.RequiredLine("receiverEmail", email, MaxEmailLength);
        if (!string.IsNullOrEmpty(email) && email.Length <= MaxEmailLength && !Mailbox.IsValid(email))
            errors.Add("receiverEmail", "must be a single e-mail address.");

        if (entry.HandedOverOn is null)
            errors.Add("handedOverOn", "is required (yyyy-MM-dd).");
        else
            errors.NotInFuture("handedOverOn", entry.HandedOverOn.Value, today);
        return errors;
    }

    private static void ValidateItems(IReadOnlyList<string>? items, IReadOnlyList<string> agreed, ValidationErrors errors)
    {
        if (items is null || items.Count == 0)
        {
            errors.Add("dataItems", "is required: name every data item handed over.");
            return;
        }

        if (items.Count > MaxItems)
        {
            errors.Add("dataItems", $"must list at most {MaxItems} items.");
            return;
        }

        if (items.Any(item => string.IsNullOrWhiteSpace(item) || item.Trim().Length > MaxItemLength))
            errors.Add("dataItems", $"every item must be 1 to {MaxItemLength} characters.");

        var allowed = agreed.Select(item => item.Trim()).ToHashSet(StringComparer.Ordinal);
        string[] outside = [.. items.Where(item => !string.IsNullOrWhiteSpace(item)).Select(item => item.Trim()).Where(item => !allowed.Contains(item)).Distinct(StringComparer.Ordinal)];
        if (outside.Length > 0)
            errors.Add("dataItems", $"not among the data items the contract agreed (2-4: only what the work needs): {string.Join(", ", outside)}.");
    }
}
