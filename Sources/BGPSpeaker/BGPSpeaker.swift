// BGPSpeaker module: FSM, RIBs, decision process, export, route reflection.
