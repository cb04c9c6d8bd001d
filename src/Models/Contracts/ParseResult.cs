using System.Diagnostics.CodeAnalysis;

namespace EdgeMigrate.Models.Contracts;

/// <summary>Either a valid payload or the reason it was refused.</summary>
public readonly record struct ParseResult<T>(T? Value, Rejection? Rejection) where T : class
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsValid => Value is not null;

    public static ParseResult<T> Ok(T value) => new(value, null);

    public static ParseResult<T> Reject(RejectionReason reason, string detail) => new(null, new Rejection(reason, detail));
}
