using System.Globalization;
using System.Text.Json;
using Supervision.Domain.Contracts;
using Supervision.Http;

namespace Supervision.Kernel;

/// <summary>The contract as the engagement row records it, and the handover gate over it.</summary>
public static class ContractState
{
    public static IReadOnlySet<ContractClause> Clauses(this EngagementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.IsNullOrEmpty(record.ConfirmedClauses)
            ? new HashSet<ContractClause>()
            : record.ConfirmedClauses.Split(',').Select(Enum.Parse<ContractClause>).ToHashSet();
    }

    public static void SetClauses(this EngagementRecord record, IEnumerable<ContractClause> clauses)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.ConfirmedClauses = string.Join(',', ContractClauses.All.Where(clauses.Contains));
    }

    public static HandoverTerms? Terms(this EngagementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.HandoverTerms is null ? null : JsonSerializer.Deserialize<HandoverTerms>(record.HandoverTerms, ApiJson.Options);
    }

    public static DateOnly? StartsOn(this EngagementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ContractStartsOn is null ? null : DateOnly.ParseExact(record.ContractStartsOn, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Whether data may be handed over under this engagement's contract, and, when not, everything missing.</summary>
    public static GateResult Gate(this EngagementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return HandoverGate.Check(record.Clauses(), record.Terms(), record.ResponsibilitySplitAgreedAt is not null, record.SignedContractEvidenceId);
    }
}
