using Supervision.Domain.Common;

namespace Supervision.Domain.Engagements;

public static class OnboardingRules
{
    public const int MaxNameLength = 200;
    public const int MaxPurposeLength = 2_000;
    public const int MaxDatasets = 50;
    public const int MaxItemsPerDataset = 100;
    public const int MaxItemLength = 100;
    public const int MaxRecordCount = 500_000_000;
    public const int MaxEmailLength = 254;

    /// <summary>Validates a draft; on success <paramref name="request"/> is the trimmed, typed request.</summary>
    public static ValidationErrors Validate(OnboardingDraft draft, out OnboardingRequest? request)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new ValidationErrors();

        errors.RequiredLine("contractor.name", draft.Contractor?.Name, MaxNameLength);
        string? corporateNumber = string.IsNullOrWhiteSpace(draft.Contractor?.CorporateNumber) ? null : draft.Contractor.CorporateNumber.Trim();
        if (corporateNumber is not null && !CorporateNumber.IsValid(corporateNumber))
            errors.Add("contractor.corporateNumber", "must be a 13-digit corporate number (法人番号) with a valid check digit.");

        errors.RequiredLine("contact.name", draft.Contact?.Name, MaxNameLength);
        string? email = draft.Contact?.Email?.Trim();
        errors.RequiredLine("contact.email", email, MaxEmailLength);
        if (!string.IsNullOrEmpty(email) && !Mailbox.IsValid(email))
            errors.Add("contact.email", "must be a single e-mail address.");
        if (!Languages.TryParse(draft.Contact?.PreferredLanguage, out Language language))
            errors.Add("contact.preferredLanguage", "must be \"ja\" or \"en\".");

        errors.Required("purpose", draft.Purpose, MaxPurposeLength);

        ValidateDatasets(draft.Datasets, errors);

        if (draft.PlannedStart is null)
            errors.Add("plannedStart", "is required (yyyy-MM-dd).");
        if (draft.PlannedEnd is null)
            errors.Add("plannedEnd", "is required (yyyy-MM-dd).");
        if (draft.PlannedStart is { } start && draft.PlannedEnd is { } end && end < start)
            errors.Add("plannedEnd", "must not be before plannedStart.");

        // Optional: left out, the engagement is assigned a supervisor later; given, it must name one.
        if (draft.Supervisor is not null && string.IsNullOrWhiteSpace(draft.Supervisor))
            errors.Add("supervisor", "must name the staff user who supervises the engagement, or be left out.");
        else if (draft.Supervisor is not null)
            Supervisors.Validate("supervisor", draft.Supervisor, errors);

        request = errors.IsEmpty
            ? new OnboardingRequest(
                new Contractor(draft.Contractor!.Name!.Trim(), corporateNumber),
                new ContactPerson(draft.Contact!.Name!.Trim(), email!, language),
                draft.Purpose!.Trim(),
                [.. draft.Datasets!.Select(dataset => new Dataset(
                    dataset!.Name?.Trim() ?? string.Empty,
                    [.. dataset.Items!.Select(item => item!.Trim())],
                    dataset.RecordCount!.Value,
                    dataset.IsSensitive!.Value,
                    dataset.LeakCausesSecondaryDamage!.Value))],
                draft.PlannedStart!.Value,
                draft.PlannedEnd!.Value,
                draft.Supervisor is null ? null : Supervisors.Normalize(draft.Supervisor))
            : null;
        return errors;
    }

    private static void ValidateDatasets(IReadOnlyList<DatasetDraft?>? datasets, ValidationErrors errors)
    {
        if (datasets is null || datasets.Count == 0)
        {
            errors.Add("datasets", "must list at least one dataset to be handed over.");
            return;
        }

        if (datasets.Count > MaxDatasets)
        {
            errors.Add("datasets", $"must list at most {MaxDatasets} datasets.");
            return;
        }

        for (int i = 0; i < datasets.Count; i++)
        {
            string path = $"datasets[{i}]";
            DatasetDraft? dataset = datasets[i];
            if (dataset is null)
            {
                errors.Add(path, "is required.");
                continue;
            }

            if (dataset.Name is { Length: > MaxNameLength })
                errors.Add($"{path}.name", $"must be at most {MaxNameLength} characters.");
            ValidateItems(dataset.Items, $"{path}.items", errors);
            if (dataset.RecordCount is null)
                errors.Add($"{path}.recordCount", "is required.");
            else if (dataset.RecordCount is < 1 or > MaxRecordCount)
                errors.Add($"{path}.recordCount", $"must be between 1 and {MaxRecordCount}.");
            if (dataset.IsSensitive is null)
                errors.Add($"{path}.isSensitive", "is required (true when the data is 要配慮個人情報).");
            if (dataset.LeakCausesSecondaryDamage is null)
                errors.Add($"{path}.leakCausesSecondaryDamage", "is required (true when a leak could cause secondary damage, 2-4).");
        }
    }

    private static void ValidateItems(IReadOnlyList<string?>? items, string path, ValidationErrors errors)
    {
        if (items is null || items.Count == 0)
        {
            errors.Add(path, "must name at least one data item (only what the work needs, 2-4).");
            return;
        }

        if (items.Count > MaxItemsPerDataset)
        {
            errors.Add(path, $"must name at most {MaxItemsPerDataset} items.");
            return;
        }

        for (int i = 0; i < items.Count; i++)
            errors.RequiredLine($"{path}[{i}]", items[i], MaxItemLength);
    }
}
