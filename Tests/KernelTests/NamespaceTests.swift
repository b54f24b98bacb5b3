import Foundation
import XCTest
@testable import Kernel

final class NamespaceTests: KernelTestCase {
    func testCreateAndDeleteLeaveNothingBehind() throws {
        let name = namespaceName()
        let namespace = try NetworkNamespace.create(name)
        XCTAssertTrue(NetworkNamespace.exists(name))
        XCTAssertTrue(NetworkNamespace.list().contains(name))
        let listed = try run(["ip", "netns", "list"]).output
        XCTAssertTrue(listed.split(separator: "\n").contains { $0.split(separator: " ").first.map(String.init) == name }, listed)
        // iproute2 sees the same namespace: its loopback is there and down.
        let links = try ipJSON(namespace, "link", "show")
        XCTAssertEqual(links.compactMap { $0["ifname"] as? String }, ["lo"])

        XCTAssertThrowsError(try NetworkNamespace.create(name)) { error in
            XCTAssertEqual((error as? KernelError)?.code, EEXIST)
        }
        try namespace.delete()
        XCTAssertFalse(NetworkNamespace.exists(name))
        XCTAssertFalse(NetworkNamespace.list().contains(name))
        XCTAssertFalse(try run(["ip", "netns", "list"]).output.contains(name))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/run/netns/\(name)"))
        XCTAssertThrowsError(try namespace.delete())
    }

    func testRunEntersAndRestoresTheThreadsNamespace() throws {
        let namespace = try makeNamespace()
        func currentInode() throws -> UInt {
            var info = stat()
            guard stat("/proc/thread-self/ns/net", &info) == 0 else { throw KernelError.fromErrno("stat") }
            return UInt(info.st_ino)
        }
        var target = stat()
        XCTAssertEqual(stat(namespace.path, &target), 0)
        let before = try currentInode()
        let inside = try namespace.run { try currentInode() }
        XCTAssertEqual(inside, UInt(target.st_ino))
        XCTAssertEqual(try currentInode(), before)
        // Restored also when the body throws.
        struct Boom: Error {}
        XCTAssertThrowsError(try namespace.run { throw Boom() })
        XCTAssertEqual(try currentInode(), before)
    }

    func testNetlinkSocketOpensInsideTheNamespace() throws {
        let namespace = try makeNamespace()
        let netlink = try namespace.netlink()
        try netlink.createBridge("br-marker")
        let names = try ipJSON(namespace, "link", "show").compactMap { $0["ifname"] as? String }
        XCTAssertEqual(Set(names), ["lo", "br-marker"])
    }

    func testSysctlWritesAreScopedToTheNamespace() throws {
        let namespace = try makeNamespace()
        let other = try makeNamespace()
        try namespace.writeSysctl("net.ipv4.ip_forward", "1")
        try namespace.writeSysctl("net.ipv6.conf.all.forwarding", "1")
        try namespace.netlink().createBridge("d0")
        try namespace.writeSysctl("net.ipv4.conf.d0.proxy_arp", "1")
        XCTAssertEqual(try namespace.readSysctl("net.ipv4.ip_forward"), "1")
        XCTAssertEqual(try run(["ip", "netns", "exec", namespace.name, "cat", "/proc/sys/net/ipv4/ip_forward"]).output, "1\n")
        XCTAssertEqual(try run(["ip", "netns", "exec", namespace.name, "cat", "/proc/sys/net/ipv6/conf/all/forwarding"]).output, "1\n")
        XCTAssertEqual(try run(["ip", "netns", "exec", namespace.name, "cat", "/proc/sys/net/ipv4/conf/d0/proxy_arp"]).output, "1\n")
        XCTAssertEqual(try other.readSysctl("net.ipv4.ip_forward"), "0")
        XCTAssertThrowsError(try namespace.writeSysctl("net.ipv4.conf.nosuchlink.proxy_arp", "1"))
    }

    func testSpawnRunsTheProcessInsideTheNamespace() throws {
        let namespace = try makeNamespace()
        try namespace.netlink().createBridge("marker0")
        let output = "/tmp/plt-kernel-\(getpid())-spawn.log"
        tempFiles.append(output)
        unlink(output)
        let pid = try namespace.spawn("/usr/sbin/ip", arguments: ["-o", "link", "show"], outputPath: output)
        var status: Int32 = 0
        XCTAssertEqual(waitpid(pid, &status, 0), pid)
        XCTAssertEqual(status, 0)
        let text = try String(contentsOfFile: output, encoding: .utf8)
        XCTAssertTrue(text.contains("marker0"), text)
        // stderr goes to the same file.
        let failing = try namespace.spawn("/bin/sh", arguments: ["-c", "echo oops >&2; exit 3"], outputPath: output)
        XCTAssertEqual(waitpid(failing, &status, 0), failing)
        XCTAssertEqual((status >> 8) & 0xff, 3)
        XCTAssertTrue(try String(contentsOfFile: output, encoding: .utf8).contains("oops"))
        XCTAssertThrowsError(try namespace.spawn("/nonexistent/program"))
        // The working directory and environment are the ones given.
        let pwd = try namespace.spawn("/bin/sh", arguments: ["-c", "echo dir=$(pwd) var=$PLT_VAR"],
                                      environment: ["PLT_VAR": "x1", "PATH": "/usr/bin:/bin"],
                                      outputPath: output, workingDirectory: "/proc")
        XCTAssertEqual(waitpid(pwd, &status, 0), pwd)
        XCTAssertTrue(try String(contentsOfFile: output, encoding: .utf8).contains("dir=/proc var=x1"))
    }
}
