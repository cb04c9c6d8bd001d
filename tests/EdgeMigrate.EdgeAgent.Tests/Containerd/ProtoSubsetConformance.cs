using Google.Protobuf.Reflection;

namespace EdgeMigrate.EdgeAgent.Tests.Containerd;

/// <summary>
/// Compares the agent's hand-written containerd/CRI .proto subset with the upstream files (both as FileDescriptorSets):
/// every subset service method (request and reply types, streaming), message field (number, name, type, label, type
/// name) and enum value must exist upstream in the same way. Message names may differ only through
/// <see cref="Renamed"/> (upstream <c>Descriptor</c>, which C# cannot generate).
/// </summary>
public static class ProtoSubsetConformance
{
    public static readonly IReadOnlyDictionary<string, string> Renamed = new Dictionary<string, string> { [".containerd.types.ContentDescriptor"] = ".containerd.types.Descriptor" };

    /// <summary>The differences (empty when the subset conforms) and how many fields were checked.</summary>
    public static (List<string> Problems, int Fields) Compare(IEnumerable<FileDescriptorProto> subset, IEnumerable<FileDescriptorProto> upstream)
    {
        var upMessages = new Dictionary<string, DescriptorProto>(StringComparer.Ordinal);
        var upEnums = new Dictionary<string, EnumDescriptorProto>(StringComparer.Ordinal);
        var upServices = new Dictionary<string, ServiceDescriptorProto>(StringComparer.Ordinal);
        foreach (var file in upstream)
        {
            Index(file.Package, file.MessageType, file.EnumType, upMessages, upEnums);
            foreach (var service in file.Service)
            {
                upServices[$".{file.Package}.{service.Name}"] = service;
            }
        }

        var problems = new List<string>();
        var fields = 0;
        foreach (var file in subset.Where(f => !f.Name.StartsWith("google/", StringComparison.Ordinal)))
        {
            var messages = new Dictionary<string, DescriptorProto>(StringComparer.Ordinal);
            var enums = new Dictionary<string, EnumDescriptorProto>(StringComparer.Ordinal);
            Index(file.Package, file.MessageType, file.EnumType, messages, enums);
            foreach (var (name, message) in messages)
            {
                if (!upMessages.TryGetValue(Map(name), out var up))
                {
                    problems.Add($"{file.Name}: message {name} is not upstream");
                    continue;
                }

                foreach (var field in message.Field)
                {
                    fields++;
                    var upField = up.Field.FirstOrDefault(f => f.Number == field.Number);
                    if (upField is null)
                    {
                        problems.Add($"{name}.{field.Name} = {field.Number}: no field with this number upstream");
                    }
                    else if (upField.Name != field.Name || upField.Type != field.Type || upField.Label != field.Label || Map(field.TypeName) != upField.TypeName)
                    {
                        problems.Add($"{name}.{field.Name} = {field.Number}: {field.Label} {field.Type} {field.TypeName}, upstream {upField.Name}: {upField.Label} {upField.Type} {upField.TypeName}");
                    }
                }
            }

            foreach (var (name, e) in enums)
            {
                if (!upEnums.TryGetValue(name, out var up))
                {
                    problems.Add($"{file.Name}: enum {name} is not upstream");
                    continue;
                }

                problems.AddRange(e.Value.Where(v => !up.Value.Any(u => u.Number == v.Number && u.Name == v.Name)).Select(v => $"enum {name}.{v.Name} = {v.Number} differs upstream"));
            }

            foreach (var service in file.Service)
            {
                if (!upServices.TryGetValue($".{file.Package}.{service.Name}", out var up))
                {
                    problems.Add($"service {file.Package}.{service.Name} is not upstream");
                    continue;
                }

                foreach (var method in service.Method)
                {
                    var upMethod = up.Method.FirstOrDefault(m => m.Name == method.Name);
                    if (upMethod is null || Map(method.InputType) != upMethod.InputType || Map(method.OutputType) != upMethod.OutputType
                        || method.ClientStreaming != upMethod.ClientStreaming || method.ServerStreaming != upMethod.ServerStreaming)
                    {
                        problems.Add($"rpc {file.Package}.{service.Name}/{method.Name} ({method.InputType} → {method.OutputType}) differs upstream ({upMethod?.InputType ?? "missing"} → {upMethod?.OutputType})");
                    }
                }
            }
        }

        return (problems, fields);
    }

    private static string Map(string typeName) =>
        Renamed.Aggregate(typeName, (name, r) => name == r.Key || name.StartsWith(r.Key + ".", StringComparison.Ordinal) ? r.Value + name[r.Key.Length..] : name);

    private static void Index(string scope, IEnumerable<DescriptorProto> messages, IEnumerable<EnumDescriptorProto> enums, Dictionary<string, DescriptorProto> intoMessages, Dictionary<string, EnumDescriptorProto> intoEnums)
    {
        foreach (var e in enums)
        {
            intoEnums[$".{scope}.{e.Name}"] = e;
        }

        foreach (var message in messages)
        {
            var name = $".{scope}.{message.Name}";
            intoMessages[name] = message;
            Index(name[1..], message.NestedType.Where(n => n.Options?.MapEntry != true), message.EnumType, intoMessages, intoEnums);
        }
    }
}
