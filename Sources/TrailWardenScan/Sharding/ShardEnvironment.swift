/// What the distributed engine running a task tells it through the environment: which
/// task of the job it is (`--shard auto`) and which job it belongs to (the default `--scan-id`).
///
/// Kubernetes: an Indexed Job sets `JOB_COMPLETION_INDEX`; the job's name is not in the
/// environment by default, so the pod template sets `JOB_NAME` from the label
/// `batch.kubernetes.io/job-name` through the downward API (docs/operations.md). AWS Batch:
/// an array job's child gets `AWS_BATCH_JOB_ARRAY_INDEX` and `AWS_BATCH_JOB_ID` of the form
/// `PARENT:INDEX`, whose parent part names the whole array job.
public enum ShardEnvironment {
    public static let kubernetesIndex = "JOB_COMPLETION_INDEX"
    public static let batchIndex = "AWS_BATCH_JOB_ARRAY_INDEX"
    public static let kubernetesJobName = "JOB_NAME"
    public static let batchJobID = "AWS_BATCH_JOB_ID"

    /// The shard of `--shard auto`: the task's index from the environment, among `count`.
    public static func assignment(count: Int?, environment: [String: String]) throws(ShardError) -> ShardAssignment {
        guard let count else {
            throw ShardError("--shard auto needs the shard count: give --shard-count or the configuration's \"shards\"")
        }
        for variable in [kubernetesIndex, batchIndex] {
            guard let text = environment[variable] else { continue }
            guard let index = Int(text) else { throw ShardError("\(variable) is not a task index: \"\(text)\"") }
            return try ShardAssignment(index: index, count: count)
        }
        throw ShardError("--shard auto needs \(kubernetesIndex) (a Kubernetes Indexed Job) or \(batchIndex) (an AWS Batch array job) in the environment")
    }

    /// The default scan id: the Kubernetes job's name, else the Batch array job's id; nil outside both.
    public static func scanID(environment: [String: String]) -> String? {
        if let name = environment[kubernetesJobName], !name.isEmpty { return name }
        if let job = environment[batchJobID], !job.isEmpty {
            return job.split(separator: ":", maxSplits: 1).first.map(String.init) ?? job
        }
        return nil
    }
}
