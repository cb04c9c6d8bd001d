using System.Text.Json;
using EdgeMigrate.EdgeAgent.Hosting;
using Microsoft.Extensions.Configuration;

namespace EdgeMigrate.EdgeAgent.Tests.Deploy;

/// <summary>
/// deploy/k3s offline: every manifest and the kustomization's rendering (kustomize from Debian) checked against the
/// Kubernetes API schemas (npm kubernetes-models, run by deploy/k3s/validate-manifests.mjs with Node.js), and the agent
/// DaemonSet's arguments accepted by the agent's own command line and option checks. No API server or kubelet runs here.
/// </summary>
[Trait("Category", TestCategories.Manifests)]
public sealed class K3sManifestTests
{
    private const string Kustomize = "/opt/edgemigrate/kustomize/usr/bin/kustomize";
    private static readonly string Deploy = Path.Combine(RepositoryLayout.Root, "deploy", "k3s");
    private static readonly string Validator = Path.Combine(Deploy, "validate-manifests.mjs");

    [Fact]
    public async Task Every_manifest_file_is_valid_against_the_kubernetes_schemas()
    {
        var files = Directory.GetFiles(Deploy, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.Contains(files, f => Path.GetFileName(f) == "agent.yaml");

        var objects = await ValidateAsync(files);

        Assert.Contains(objects, o => o.Kind == "DaemonSet" && o.Name == "edgemigrate-agent");
        Assert.Equal(files.Count, objects.Select(o => o.Source.Split('#')[0]).Distinct().Count());
    }

    [Fact]
    public async Task The_kustomization_renders_and_every_rendered_object_is_valid_and_in_the_edgemigrate_namespace()
    {
        var rendered = await RenderAsync();

        var objects = await ValidateAsync([rendered]);

        Assert.Equal(["DaemonSet", "Deployment", "Deployment", "Namespace", "Service", "Service", "Service", "StatefulSet"], objects.Select(o => o.Kind).Order(StringComparer.Ordinal));
        Assert.All(objects.Where(o => o.Kind != "Namespace"), o => Assert.Equal("edgemigrate", o.Namespace));
        var images = objects.SelectMany(o => Containers(o.Object)).Select(c => c.GetProperty("image").GetString()).ToList();
        Assert.Contains("edgemigrate/agent:dev", images);
        Assert.Contains("edgemigrate/silo:dev", images);
        Assert.All(objects.SelectMany(o => Containers(o.Object)), c => Assert.Equal("Never", c.GetProperty("imagePullPolicy").GetString()));
    }

    [Fact]
    public async Task The_agent_daemonset_gives_the_containerd_engine_the_node_and_its_arguments_are_valid_agent_options()
    {
        var agent = (await ValidateAsync([await RenderAsync()])).Single(o => o.Kind == "DaemonSet").Object;
        var pod = agent.GetProperty("spec").GetProperty("template").GetProperty("spec");
        Assert.True(pod.GetProperty("hostPID").GetBoolean());
        Assert.True(pod.GetProperty("hostNetwork").GetBoolean());
        Assert.False(pod.GetProperty("automountServiceAccountToken").GetBoolean());
        var container = Containers(agent).Single();
        Assert.True(container.GetProperty("securityContext").GetProperty("privileged").GetBoolean());
        var env = container.GetProperty("env").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e);
        Assert.Equal("spec.nodeName", env["NODE_NAME"].GetProperty("valueFrom").GetProperty("fieldRef").GetProperty("fieldPath").GetString());
        Assert.All(env.Values.Where(e => e.GetProperty("valueFrom").TryGetProperty("secretKeyRef", out _)), e =>
            Assert.Equal("edgemigrate-agent-credentials", e.GetProperty("valueFrom").GetProperty("secretKeyRef").GetProperty("name").GetString()));
        var volumes = pod.GetProperty("volumes").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v);
        Assert.Equal("edgemigrate-agent-credentials", volumes["credentials"].GetProperty("secret").GetProperty("secretName").GetString());

        // Files the agent writes for containerd and its shim (archive, CRIU config and log) must have the same path inside and outside.
        var args = container.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList();
        var mounts = container.GetProperty("volumeMounts").EnumerateArray().ToDictionary(m => m.GetProperty("mountPath").GetString()!, m => m.GetProperty("name").GetString()!);
        foreach (var path in new[] { "/run/k3s/containerd", "/run/containerd/runc", "/var/lib/edgemigrate-agent" })
        {
            Assert.True(mounts.TryGetValue(path, out var volume), $"{path} is not mounted");
            Assert.Equal(path, volumes[volume].GetProperty("hostPath").GetProperty("path").GetString());
        }

        Assert.Contains("--containerd-socket=/run/k3s/containerd/containerd.sock", args);
        Assert.Contains("--work-dir=/var/lib/edgemigrate-agent", args);

        // The same arguments through the agent's command line and start-up checks (Kubernetes expands $(VAR) from env).
        var expanded = args.Select(a => a.Replace("$(NODE_NAME)", "k3s-node-1", StringComparison.Ordinal).Replace("$(NODE_IP)", "192.0.2.10", StringComparison.Ordinal)).ToArray();
        IDictionary<string, string?>? settings = null;
        var exit = await AgentCommandLine.Build((s, _) =>
        {
            settings = s;
            return Task.FromResult(0);
        }).Parse(expanded).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        var options = new ConfigurationBuilder().AddInMemoryCollection(settings!).Build().GetSection(AgentOptions.Section).Get<AgentOptions>()!;
        var validation = new AgentOptionsValidator().Validate(null, options);
        Assert.True(validation.Succeeded, validation.FailureMessage);
        Assert.Equal(("k3s-node-1", "/run/k3s/containerd/containerd.sock", "k8s.io", "192.0.2.10:7701"), (options.NodeId, options.ContainerdSocket, options.ContainerdNamespace, options.Advertise));
    }

    [Fact]
    public async Task A_broken_manifest_is_rejected_with_the_reason()
    {
        var file = Path.Combine(Path.GetTempPath(), $"em-broken-{Environment.ProcessId}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: { name: broken }
            spec:
              template:
                spec:
                  containers: [{ name: agent, image: x, securityContext: { privileged: "yes" } }]
            ---
            apiVersion: example.com/v1
            kind: Gadget
            metadata: { name: unknown }
            """, TestContext.Current.CancellationToken);
        try
        {
            var result = await HostCommand.RunAsync(RequireNode(), [Validator, file], TestContext.Current.CancellationToken);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains("must have required property selector", result.StdErr, StringComparison.Ordinal);
            Assert.Contains("privileged must be boolean", result.StdErr, StringComparison.Ordinal);
            Assert.Contains("example.com/v1 Gadget unknown: no schema for this type", result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static IEnumerable<JsonElement> Containers(JsonElement obj) =>
        obj.TryGetProperty("spec", out var spec) && spec.TryGetProperty("template", out var template)
            ? template.GetProperty("spec").GetProperty("containers").EnumerateArray()
            : [];

    private static string RequireNode() =>
        HostCommand.Which("node") ?? throw new InvalidOperationException("node (Node.js) is not on PATH: run scripts/install-test-deps.sh (component k8s) as root");

    private static async Task<string> RenderAsync()
    {
        if (!File.Exists(Kustomize))
        {
            Assert.Fail($"{Kustomize} is missing: run scripts/install-test-deps.sh (component k8s) as root");
        }

        var result = await HostCommand.RunAsync(Kustomize, ["build", Deploy], TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, $"kustomize build deploy/k3s failed: {result.StdErr}");
        var file = Path.Combine(Path.GetTempPath(), $"em-k3s-rendered-{Environment.ProcessId}-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, result.StdOut, TestContext.Current.CancellationToken);
        return file;
    }

    private static async Task<List<RenderedObject>> ValidateAsync(IReadOnlyList<string> files)
    {
        try
        {
            var result = await HostCommand.RunAsync(RequireNode(), [Validator, "--json", .. files], TestContext.Current.CancellationToken);
            Assert.True(result.Succeeded, $"validate-manifests.mjs ({result.ExitCode}):\n{result.StdErr}");
            TestContext.Current.SendDiagnosticMessage(result.StdErr.Trim());
            using var json = JsonDocument.Parse(result.StdOut);
            return [.. json.RootElement.EnumerateArray().Select(o => new RenderedObject(
                o.GetProperty("source").GetString()!,
                o.GetProperty("kind").GetString()!,
                o.GetProperty("name").GetString()!,
                o.GetProperty("namespace").GetString(),
                o.GetProperty("object").Clone()))];
        }
        finally
        {
            foreach (var file in files.Where(f => Path.GetFileName(f).StartsWith("em-k3s-rendered-", StringComparison.Ordinal)))
            {
                File.Delete(file);
            }
        }
    }

    private sealed record RenderedObject(string Source, string Kind, string Name, string? Namespace, JsonElement Object);
}
