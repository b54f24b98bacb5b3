#!/usr/bin/env python3
"""Writes a lab file with many devices, for scale runs of `peerlab up` / `peerlab down`.

    generate-lab.py NAME HOSTS [--switches N] > lab.yaml

Hosts come in pairs joined by a cable (10.<i/250>.<i%250>.1/30 and .2). With --switches N, the first
N*2 hosts instead hang off N H3C Comware switches (two hosts per switch in VLAN 10, the switch's
Vlan-interface10 as their gateway), so each switch runs a device daemon.
"""
import argparse

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", help="lab name (1-16 of a-z 0-9 -, starting with a letter)")
    parser.add_argument("hosts", type=int, help="number of host nodes")
    parser.add_argument("--switches", type=int, default=0, help="number of h3c-comware switches")
    args = parser.parse_args()

    nodes, links = [], []
    switched = min(args.hosts, args.switches * 2)
    for s in range(args.switches):
        octet = 100 + s // 250, s % 250
        config = "\n".join([
            f"sysname sw{s + 1}", "vlan 10",
            "interface Vlan-interface10", f" ip address 10.{octet[0]}.{octet[1]}.1 255.255.255.0",
            "interface GigabitEthernet1/0/1", " port access vlan 10",
            "interface GigabitEthernet1/0/2", " port access vlan 10", "return"])
        block = "\n".join("        " + line for line in config.split("\n"))
        nodes.append(f"    sw{s + 1}:\n      kind: h3c-comware\n      startup-config: |\n{block}")
    for h in range(switched):
        s, port = h // 2, h % 2 + 1
        octet = 100 + s // 250, s % 250
        nodes.append(f"    h{h + 1}: {{kind: host, interfaces: {{eth0: 10.{octet[0]}.{octet[1]}.{10 + port}/24}}, gateway: 10.{octet[0]}.{octet[1]}.1}}")
        links.append(f'    - endpoints: ["sw{s + 1}:GigabitEthernet1/0/{port}", "h{h + 1}:eth0"]')
    for h in range(switched, args.hosts):
        pair = (h - switched) // 2
        side = (h - switched) % 2 + 1
        nodes.append(f"    h{h + 1}: {{kind: host, interfaces: {{eth0: 10.{pair // 250}.{pair % 250}.{side}/24}}}}")
        if side == 2:
            links.append(f'    - endpoints: ["h{h}:eth0", "h{h + 1}:eth0"]')
    print(f"name: {args.name}\ntopology:\n  nodes:")
    print("\n".join(nodes))
    if links:
        print("  links:")
        print("\n".join(links))

if __name__ == "__main__":
    main()
